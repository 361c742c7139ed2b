// Checks a parsed body against the rules generated from openapi/notifications.yaml. The runtime validator
// has no oneOf: the spec's branches are exclusive by `notificationType`, so that field picks the rule.
import { notificationRules } from '../../generated/notification-rules.ts';
import { findProblem, type Rule } from '../internal/validate-input.ts';
import type { ModelledNotificationType, Notification } from './types.ts';

export type CheckedNotification =
  | { ok: true; notification: Notification; modelled: boolean }
  | { ok: false; message: string };

const byType: Readonly<Record<string, Rule>> = notificationRules.byType;

function isModelledType(type: string): type is ModelledNotificationType {
  return Object.hasOwn(byType, type);
}

/** The notification, or a message naming the first field that breaks the spec (`chatId is required`). */
export function checkNotification(value: unknown): CheckedNotification {
  // Any notification: an object with a non-empty string `notificationType`; then its own type's rule.
  const anyProblem = findProblem(notificationRules.other, value, '');
  // JSON `null` is a body too: the rule above names it; reading its type must not throw meanwhile.
  const type = (value as { notificationType: string } | null)?.notificationType;
  const modelled = anyProblem === undefined && type !== undefined && isModelledType(type);
  const problem =
    anyProblem ?? (modelled ? findProblem(byType[type as string] as Rule, value, '') : undefined);
  if (problem !== undefined) return { ok: false, message: `${problem.field || 'body'} ${problem.problem}` };
  return { ok: true, notification: value as Notification, modelled };
}
