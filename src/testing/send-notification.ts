// sendNotification: posts one notification to a seller's endpoint as Yandex would, after checking it
// against notifications.yaml, and checks the answer against the same spec (status, content type, body).
import { loadSpec, locate, nodeAt } from './spec-files.ts';
import { type ErrorsAt, isObject, type JsonObject, specValidator } from './spec-validator.ts';

const OPERATION = ['paths', '/notification', 'post'];
const REQUEST_SCHEMA = [...OPERATION, 'requestBody', 'content', 'application/json', 'schema'];

export interface SendNotificationOptions {
  /** Send an event that breaks the spec on purpose (to see the endpoint's 400); throws if it is valid. */
  expectInvalid?: boolean;
  /** How long to wait for the answer: Yandex waits 10 s, 1 s for PING. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface NotificationAnswer {
  status: number;
  body: unknown;
  /** What the answer broke of notifications.yaml; empty when it is one the spec allows. */
  violations: string[];
}

let errorsAt: ErrorsAt | undefined;
export const notificationErrors = (path: readonly string[], value: unknown): string[] => {
  errorsAt ??= specValidator(loadSpec('notifications'));
  return errorsAt(path, value);
};

/** The path of the request's oneOf schema made for this notificationType (the catch-all has no enum). */
function schemaOfType(type: unknown): string[] | undefined {
  const spec = loadSpec('notifications');
  const request = locate(nodeAt(spec, REQUEST_SCHEMA), REQUEST_SCHEMA, spec);
  for (const [i, branch] of ((request.node as JsonObject).oneOf as unknown[]).entries()) {
    // Stryker disable next-line ArrayDeclaration,StringLiteral: each branch is a $ref, whose target's path locate gives
    const found = locate(branch, [...request.path, 'oneOf', String(i)], spec);
    const { properties } = found.node as { properties: { notificationType: { enum?: unknown[] } } };
    if (properties.notificationType.enum?.includes(type)) return found.path;
  }
  return undefined;
}

/**
 * What `notification` breaks of the spec's request schema: of its own type's schema when it has one (exactly
 * one schema of the oneOf matches each notification), so the errors name its fields, not every schema's.
 */
export function eventViolations(notification: unknown): string[] {
  const own = schemaOfType(isObject(notification) ? notification.notificationType : undefined);
  return notificationErrors(own ?? REQUEST_SCHEMA, notification);
}

/** application/json, with or without parameters such as charset (not application/json-seq). */
const JSON_TYPE = /^application\/json\s*(;|$)/i;

function answerViolations(status: number, contentType: string | null, body: unknown, text: string): string[] {
  const codes = Object.keys(nodeAt(loadSpec('notifications'), [...OPERATION, 'responses']) as JsonObject);
  if (!codes.includes(String(status)))
    return [`status ${status} is not one the spec allows (${codes.join(', ')})`];
  if (!JSON_TYPE.test(contentType ?? ''))
    return [`content type ${contentType ?? '(none)'} is not application/json`];
  if (body === undefined) return [`body is not JSON: ${text.slice(0, 100)}`];
  const schema = [...OPERATION, 'responses', String(status), 'content', 'application/json', 'schema'];
  return notificationErrors(schema, body).map((error) => `body ${error}`);
}

export async function sendNotification(
  url: string,
  notification: unknown,
  options: SendNotificationOptions = {},
): Promise<NotificationAnswer> {
  const problems = eventViolations(notification);
  if (options.expectInvalid === true && problems.length === 0) {
    throw new TypeError('sendNotification: expectInvalid is set, but the notification is valid');
  }
  if (options.expectInvalid !== true && problems.length > 0) {
    throw new TypeError(
      `sendNotification: the notification breaks notifications.yaml: ${problems.join('; ')}`,
    );
  }
  const type = (notification as { notificationType?: unknown } | null)?.notificationType;
  const timeoutMs = options.timeoutMs ?? (type === 'PING' ? 1_000 : 10_000);
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const why =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : String(error);
    return { status: 0, body: undefined, violations: [`${why} (Yandex counts that as 500 and sends again)`] };
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: body stays undefined
  }
  const violations = answerViolations(response.status, response.headers.get('content-type'), body, text);
  return { status: response.status, body: body ?? text, violations };
}
