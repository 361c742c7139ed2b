// Everything a request must pass before any callback runs, in order: the sender (when checked), the
// method, the content type, the body size, JSON, and the spec's schema for its notificationType.

import { readBodyText } from './read-body.ts';
import type { SenderVerdict } from './sender-address.ts';
import type { NotificationErrorType } from './types.ts';
import { type CheckedNotification, checkNotification } from './validate-notification.ts';

export interface Refusal {
  ok: false;
  status: number;
  type: NotificationErrorType;
  message: string;
  headers?: Record<string, string>;
}

export type Accepted = Extract<CheckedNotification, { ok: true }> & {
  /** The sender: the socket's address, or the trusted proxy header's when the sender check uses one. */
  remoteAddress: string | undefined;
};

export interface AcceptOptions {
  senderCheck: ((remoteAddress: string | undefined, headers: Headers) => SenderVerdict) | undefined;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
}

const refusal = (
  status: number,
  type: NotificationErrorType,
  message: string,
  headers?: Record<string, string>,
): Refusal =>
  headers === undefined
    ? { ok: false, status, type, message }
    : { ok: false, status, type, message, headers };

const isJson = (contentType: string | null): boolean =>
  // Stryker disable next-line MethodExpression: Headers.get never returns surrounding whitespace, so trim() changes nothing
  contentType !== null && /^application\/json\s*(;|$)/i.test(contentType.trim());

/** The valid notification the request carries, or why it is refused (status, error type, message). */
export async function acceptRequest(
  request: Request,
  remoteAddress: string | undefined,
  { senderCheck, maxBodyBytes, bodyTimeoutMs }: AcceptOptions,
): Promise<Accepted | Refusal> {
  let sender = remoteAddress;
  if (senderCheck !== undefined) {
    const verdict = senderCheck(remoteAddress, request.headers);
    if (!verdict.allowed) return refusal(403, 'UNKNOWN', verdict.reason);
    sender = verdict.address;
  }
  if (request.method !== 'POST') {
    return refusal(
      405,
      'WRONG_EVENT_FORMAT',
      `method ${request.method} is not allowed: notifications come as POST`,
      {
        allow: 'POST',
      },
    );
  }
  const contentType = request.headers.get('content-type');
  if (!isJson(contentType)) {
    return refusal(
      415,
      'WRONG_EVENT_FORMAT',
      `content type ${contentType ?? '(none)'} is not allowed: send application/json`,
    );
  }
  const body = await readBodyText(request, maxBodyBytes, bodyTimeoutMs);
  if (!body.ok) {
    switch (body.problem) {
      case 'too-large':
        return refusal(413, 'WRONG_EVENT_FORMAT', `body is larger than ${maxBodyBytes} bytes`);
      case 'too-slow':
        return refusal(408, 'WRONG_EVENT_FORMAT', `body did not arrive within ${bodyTimeoutMs} ms`);
      case 'not-utf8':
        return refusal(400, 'WRONG_EVENT_FORMAT', 'body is not valid UTF-8');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch {
    return refusal(400, 'WRONG_EVENT_FORMAT', 'body is not valid JSON');
  }
  const checked = checkNotification(parsed);
  return checked.ok
    ? { ...checked, remoteAddress: sender }
    : refusal(400, 'WRONG_EVENT_FORMAT', checked.message);
}
