// The handler's answers, shaped as openapi/notifications.yaml says: `{ version, name, time }` for a handled
// notification, `{ error: { type, message } }` otherwise. Never a stack trace.
import type { NotificationErrorType } from './types.ts';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function okAnswer(name: string, version: string, receivedAt: Date): Response {
  return json(200, { version, name, time: receivedAt.toISOString() });
}

export function errorAnswer(
  status: number,
  type: NotificationErrorType,
  message: string,
  headers?: Record<string, string>,
): Response {
  return json(status, { error: { type, message } }, headers);
}
