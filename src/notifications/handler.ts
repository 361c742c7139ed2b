// createNotificationHandler: a Fetch-API handler for Yandex Market's `POST /notification`, answering as
// openapi/notifications.yaml says and passing each valid notification, typed, to its callback.

import { notificationRules } from '../../generated/notification-rules.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { emit } from '../hooks.ts';
import { findProblem } from '../internal/validate-input.ts';
import { acceptRequest } from './accept-request.ts';
import { errorAnswer, okAnswer } from './answers.ts';
import { CallbackTimeoutError, createDeliverer } from './deliver.ts';
import {
  type ClaimingDuplicateStore,
  createMemoryDuplicateStore,
  type DuplicateStore,
  notificationKey,
} from './duplicates.ts';
import { createSenderCheck, type SenderCheckOptions } from './sender-address.ts';
import type {
  ModelledNotificationType,
  Notification,
  NotificationErrorType,
  NotificationOf,
  OtherNotification,
} from './types.ts';

/** What a callback gets besides the notification. */
export interface NotificationContext {
  /** The event's stable key (see notificationKey). */
  key: string;
  /** Aborted when the time budget (`timeoutMs`) is spent and the handler has answered 500. */
  signal: AbortSignal;
  /** The sender's address: the socket's, or the trusted proxy header's when the sender check uses one. */
  remoteAddress: string | undefined;
}

/** A callback; the handler answers 200 once its promise resolves, 500 if it throws or rejects. */
export type NotificationCallback<N> = (notification: N, context: NotificationContext) => unknown;

export type NotificationCallbacks = {
  [T in ModelledNotificationType]?: NotificationCallback<NotificationOf<T>>;
};

export interface NotificationErrorEvent {
  /** What the callback threw, or a CallbackTimeoutError. */
  error: unknown;
  notification: Notification;
  key: string;
  /** True when the callback ran out of time (reported at the timeout, and again if it later fails). */
  timedOut: boolean;
}

export interface RefusalEvent {
  status: number;
  type: NotificationErrorType;
  message: string;
  remoteAddress: string | undefined;
}

/** Observers; a hook that throws is ignored, it never changes an answer. */
export interface NotificationHooks {
  /** A callback threw, rejected or ran out of time: the answer was 500 UNKNOWN. Once per run of a callback
   *  (and once more for a failure after its timeout): a redelivery that waited on that run answers 500 too,
   *  without another report. */
  onError?(event: NotificationErrorEvent): void;
  /** A request was refused (400, 403, 405, 408, 413, 415) before any callback ran. */
  onRefused?(event: RefusalEvent): void;
  /** A repeat of an event whose callback already succeeded; its callback was not called again. */
  onDuplicate?(event: { notification: Notification; key: string }): void;
}

export interface NotificationHandlerOptions {
  /** Your integration's name, 1..100 characters: sent back in every 200 answer. */
  name: string;
  /** Your integration's version, 1..100 characters: sent back in every 200 answer. */
  version: string;
  /** Callbacks by notification type. A valid notification without a callback is answered 200 at once. */
  on: NotificationCallbacks;
  /** For valid notifications of any type the library does not model; without it they are answered 200. */
  onOther?: NotificationCallback<OtherNotification>;
  hooks?: NotificationHooks;
  /** How long a callback may run before the answer is 500; default 9,000 ms (Yandex waits 10 s). */
  timeoutMs?: number;
  /** The same for `on.PING`; default 900 ms (Yandex waits 1 s). */
  pingTimeoutMs?: number;
  /** Larger bodies are refused with 413 without being read; default 65,536 bytes. */
  maxBodyBytes?: number;
  /** A body not read whole within this (from the handler's start) is refused with 408; default 5,000 ms. */
  bodyTimeoutMs?: number;
  /** Off by default. `{}` accepts only senders in Yandex's networks; see SenderCheckOptions. */
  senderCheck?: SenderCheckOptions;
  /**
   * Where event keys are claimed and handled ones kept; default an in-memory store of 10,000 keys; a shared
   * ClaimingDuplicateStore (e.g. Redis) for several instances; an older `{ has, add }` store (claims then
   * live in this process only); `false`: no detection.
   */
  duplicates?: ClaimingDuplicateStore | DuplicateStore | false;
  /** A run's claim on its event lasts `timeoutMs` plus this; default 3,000 ms. Then a redelivery runs again. */
  claimGraceMs?: number;
  /** The answer to a repeat of a handled event: `'ok'` (default) 200, or 400 `DUPLICATED_EVENT`. */
  duplicateAnswer?: 'ok' | 'DUPLICATED_EVENT';
}

/** The handler: a Fetch-API function, for any server that speaks Request/Response (or via toNodeListener). */
export type NotificationHandler = (
  request: Request,
  info?: { remoteAddress?: string | undefined },
) => Promise<Response>;

export const DEFAULT_TIMEOUT_MS = 9_000;
export const DEFAULT_PING_TIMEOUT_MS = 900;
export const DEFAULT_MAX_BODY_BYTES = 65_536;
export const DEFAULT_CLAIM_GRACE_MS = 3_000;
export const DEFAULT_BODY_TIMEOUT_MS = 5_000;

function positiveInteger(value: number | undefined, fallback: number, field: string, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ValidationError(field, `must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

const hasMethods = (value: object, names: string[]) =>
  names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

function checkStore(store: NotificationHandlerOptions['duplicates']) {
  if (store === undefined) return createMemoryDuplicateStore();
  if (store === false) return undefined;
  if (
    typeof store !== 'object' ||
    store === null ||
    !(hasMethods(store, ['claim', 'commit', 'release']) || hasMethods(store, ['has', 'add']))
  ) {
    throw new ValidationError(
      'duplicates',
      'must be false or a store with claim, commit and release (or has and add)',
    );
  }
  return store;
}

function checkOptions(options: NotificationHandlerOptions) {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', 'must be an object with name, version and on');
  }
  const response = notificationRules.okResponseBody.properties;
  const problem =
    findProblem(response.name, options.name, 'name') ??
    findProblem(response.version, options.version, 'version');
  if (problem !== undefined) throw new ValidationError(problem.field, problem.problem);
  if (typeof options.on !== 'object' || options.on === null) {
    throw new ValidationError('on', 'must be an object of callbacks by notification type');
  }
  return {
    timeoutMs: positiveInteger(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs'),
    pingTimeoutMs: positiveInteger(options.pingTimeoutMs, DEFAULT_PING_TIMEOUT_MS, 'pingTimeoutMs'),
    maxBodyBytes: positiveInteger(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes'),
    bodyTimeoutMs: positiveInteger(options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS, 'bodyTimeoutMs'),
    // Zero is allowed: the lease is then exactly `timeoutMs`.
    claimGraceMs: positiveInteger(options.claimGraceMs, DEFAULT_CLAIM_GRACE_MS, 'claimGraceMs', 0),
    duplicates: checkStore(options.duplicates),
  };
}

/** Creates the handler; throws a ValidationError naming the option when an option is wrong. */
export function createNotificationHandler(options: NotificationHandlerOptions): NotificationHandler {
  const { timeoutMs, pingTimeoutMs, maxBodyBytes, bodyTimeoutMs, claimGraceMs, duplicates } =
    checkOptions(options);
  const { name, version, on, onOther, hooks = {}, duplicateAnswer = 'ok' } = options;
  const senderCheck = options.senderCheck === undefined ? undefined : createSenderCheck(options.senderCheck);
  const events = createDeliverer(duplicates, claimGraceMs);
  const pings = createDeliverer(undefined); // a PING is a check, never a duplicate

  const handle: NotificationHandler = async (request, info = {}) => {
    const receivedAt = new Date();
    const accepted = await acceptRequest(request, info.remoteAddress, {
      senderCheck,
      maxBodyBytes,
      bodyTimeoutMs,
    });
    if (!accepted.ok) {
      const { status, type, message, headers } = accepted;
      emit(hooks.onRefused, () => ({ status, type, message, remoteAddress: info.remoteAddress }));
      return errorAnswer(status, type, message, headers);
    }

    const { notification, modelled, remoteAddress } = accepted;
    const type = notification.notificationType;
    const callback = (modelled ? on[type as ModelledNotificationType] : onOther) as
      | NotificationCallback<Notification>
      | undefined;
    if (callback === undefined) return okAnswer(name, version, receivedAt);

    const key = notificationKey(notification);
    const [deliverer, budget] = type === 'PING' ? [pings, pingTimeoutMs] : [events, timeoutMs];
    const delivery = await deliverer.deliver(
      key,
      (signal) => callback(notification, { key, signal, remoteAddress }),
      budget,
      (error) => emit(hooks.onError, () => ({ error, notification, key, timedOut: true })),
    );
    switch (delivery.outcome) {
      case 'handled':
        return okAnswer(name, version, receivedAt);
      case 'duplicate':
        emit(hooks.onDuplicate, () => ({ notification, key }));
        return duplicateAnswer === 'ok'
          ? okAnswer(name, version, receivedAt)
          : errorAnswer(400, 'DUPLICATED_EVENT', `${key} was already handled`);
      case 'busy':
        return errorAnswer(500, 'UNKNOWN', 'the notification is being handled; send it again later');
      case 'failed':
        if (delivery.waitedOnAnother !== true) {
          emit(hooks.onError, () => ({
            error: delivery.error,
            notification,
            key,
            timedOut: delivery.timedOut,
          }));
        }
        return errorAnswer(
          500,
          'UNKNOWN',
          delivery.error instanceof CallbackTimeoutError
            ? `handling took longer than ${budget} ms; send it again`
            : 'the notification could not be handled; send it again',
        );
    }
  };
  // The handler never rejects (a server would answer 500 without the spec's shape, or crash).
  return async (request, info) => {
    try {
      return await handle(request, info);
    } catch {
      return errorAnswer(500, 'UNKNOWN', 'the notification could not be handled; send it again');
    }
  };
}
