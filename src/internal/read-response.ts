// Turns one HTTP response into the operation's result, or a failure that says what kind it is, so the
// engine can decide whether (and when) to send the request again.
import type { ApiErrorDTO } from '../../generated/schema.ts';
import type { RateLimitState } from '../base/rate-limit.ts';
import { ApiError, type ApiErrorDetails, describeErrors } from '../errors/api-error.ts';
import { BadRequestError } from '../errors/bad-request-error.ts';
import { ForbiddenError } from '../errors/forbidden-error.ts';
import type { MarketError } from '../errors/market-error.ts';
import { NotFoundError } from '../errors/not-found-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { ServerError } from '../errors/server-error.ts';
import { UnauthorizedError } from '../errors/unauthorized-error.ts';
import { UnexpectedResponseError } from '../errors/unexpected-response-error.ts';
import type { Operation, ReportDrift } from './operation.ts';
import type { Redactor } from './redact.ts';
import { isRateLimitStatus, RETRYABLE_STATUSES } from './retry-delay.ts';

/**
 * - `final`: not worth sending again (4xx, a broken contract, a deadline).
 * - `unreadable`: a 2xx whose body cannot be read as the result: the API acted, so a write may have been
 *   delivered; not worth sending again either.
 * - `quota`: a 420/429 that says when to come back; the API did not act. Waiting is not a retry.
 * - `parallel-limit`: a 420 while quota remains: too many requests in flight for the business.
 * - `rate-limit`: a 420/429 that says neither; the API did not act.
 * - `refused`: no connection was made, so nothing was sent.
 * - `server`, `timeout`, `connection`: the request may have reached the API.
 */
export type FailureKind =
  | 'final'
  | 'unreadable'
  | 'quota'
  | 'parallel-limit'
  | 'rate-limit'
  | 'refused'
  | 'server'
  | 'timeout'
  | 'connection';

export interface Failure {
  kind: FailureKind;
  /** When the server asked to be called again, in this machine's clock, if it did. */
  resetAt: Date | undefined;
  /** The error to throw (or to report to hooks) after `attempts` requests. */
  toError(attempts: number, note?: string): MarketError;
}

export type Outcome<Result> = { ok: true; value: Result } | { ok: false; failure: Failure };

const SNIPPET_LENGTH = 120;

/** How a response is read: the credential to keep out of errors, and where drift is reported. */
export interface ReadContext {
  redactor: Redactor;
  drift: ReportDrift;
}

/** A response as read: its headers already redacted. */
export interface SeenResponse {
  status: number;
  headers: Headers;
}

/** `body` is the text of a 2xx (undefined when empty), or openapi-fetch's JSON-or-text error value. */
export function readResponse<Result>(
  operation: Operation<{ businessId: number }, Result>,
  response: SeenResponse,
  body: unknown,
  rateLimit: RateLimitState | undefined,
  resetAt: Date | undefined,
  context: ReadContext,
): Outcome<Result> {
  const { status, headers } = response;
  // Stryker disable next-line ConditionalExpression: a Response has a status of 200 to 599
  if (status >= 200 && status < 300) return readOkBody(operation, response, body, context);
  // Stryker disable next-line ConditionalExpression: a Response has a status of 200 to 599, and 2xx went above
  if (status >= 300 && status < 400) {
    const location = headers.get('Location') ?? 'no Location';
    return unexpected(
      operation.name,
      response,
      `HTTP ${status} redirect (${location}) not followed: the client never sends its credential to another address; check baseUrl`,
    );
  }
  const { errors, bodyProblem, json } = readErrors(context.redactor.value(body), headers);
  const ErrorClass = errorClassFor(status);
  return {
    ok: false,
    failure: {
      kind: failureKind(status, rateLimit, resetAt),
      resetAt,
      toError(attempts, note) {
        const details: ApiErrorDetails = {
          operation: operation.name,
          status,
          errors,
          headers,
          rateLimit,
          attempts,
          bodyProblem,
          body: json,
          note,
          resetAt,
        };
        return new ErrorClass(details);
      },
    },
  };
}

function failureKind(
  status: number,
  rateLimit: RateLimitState | undefined,
  resetAt: Date | undefined,
): FailureKind {
  if (isRateLimitStatus(status)) {
    // Yandex answers both of its limits with 420; quota left means the in-flight one was hit.
    if (rateLimit?.remaining !== undefined && rateLimit.remaining > 0) return 'parallel-limit';
    // Stryker disable next-line ConditionalExpression,StringLiteral: the engine treats a quota failure without resetAt as a rate limit; 'rate-limit' acts by not being 'quota'
    return resetAt === undefined ? 'rate-limit' : 'quota';
  }
  return RETRYABLE_STATUSES.has(status) ? 'server' : 'final';
}

function errorClassFor(status: number): typeof ApiError {
  if (isRateLimitStatus(status)) return RateLimitError;
  if (status >= 500) return ServerError;
  return (
    { 400: BadRequestError, 401: UnauthorizedError, 403: ForbiddenError, 404: NotFoundError }[status] ??
    ApiError
  );
}

/** A 2xx: whatever cannot be read as the result is `unreadable` (the API acted; see FailureKind). */
function readOkBody<Result>(
  operation: Operation<{ businessId: number }, Result>,
  response: SeenResponse,
  body: unknown,
  { redactor, drift }: ReadContext,
): Outcome<Result> {
  const { status } = response;
  const unreadable = (message: string, errors: readonly ApiErrorDTO[] = []) =>
    unexpected(operation.name, response, message, errors, 'unreadable');
  if (typeof body !== 'string' || body.trim() === '') {
    return unreadable(`HTTP ${status} with an empty body; expected JSON`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const shown = snippet(redactor.text(body));
    return unreadable(
      `HTTP ${status} with a body that is not JSON (${contentType(response.headers)}): ${shown}`,
    );
  }
  const read = operation.readResult(parsed, drift);
  if (read.ok) return read;
  // The problem is told from the redacted body: a value cut short could otherwise keep part of the secret.
  const safe = redactor.value(parsed);
  const again = safe === parsed ? read : operation.readResult(safe, ignoreDrift);
  const problem = again.ok ? redactor.text(read.problem) : again.problem;
  // A 200 that says ERROR without a usable result still carries Yandex's reasons: keep them.
  const saysError = (safe as { status?: unknown } | null)?.status === 'ERROR';
  const { errors } = saysError ? readErrors(safe, response.headers) : { errors: [] };
  const reasons = errors.length === 0 ? '' : `; it says status ERROR: ${describeErrors(errors)}`;
  return unreadable(`HTTP ${status} body ${problem}${reasons}`, errors);
}

function ignoreDrift(): void {}

/** Yandex's errors of an error body; `json` is the body when it was JSON (for `error.body`). */
function readErrors(
  body: unknown,
  headers: Headers,
): { errors: ApiErrorDTO[]; bodyProblem: string | undefined; json: unknown } {
  if (body === undefined || body === '') return { errors: [], bodyProblem: 'empty body', json: undefined };
  if (typeof body === 'string') {
    const bodyProblem = `body is not JSON (${contentType(headers)}): ${snippet(body)}`;
    return { errors: [], bodyProblem, json: undefined };
  }
  const list = (body as { errors?: unknown } | null)?.errors;
  const errors: ApiErrorDTO[] = [];
  if (Array.isArray(list)) {
    for (const item of list) {
      const { code, message } = (item ?? {}) as { code?: unknown; message?: unknown };
      if (typeof code !== 'string') continue;
      errors.push(typeof message === 'string' ? { code, message } : { code });
    }
  }
  // Another shape (`{"error":{...}}`, null, a number): the message shows the start of it.
  const bodyProblem =
    errors.length === 0 ? `no error details in the body: ${cut(JSON.stringify(body))}` : undefined;
  return { errors, bodyProblem, json: body };
}

export function unexpected(
  operation: string,
  response: SeenResponse,
  message: string,
  errors: readonly ApiErrorDTO[] = [],
  kind: 'final' | 'unreadable' = 'final',
): Outcome<never> {
  const error = () => new UnexpectedResponseError(operation, message, response, errors);
  return { ok: false, failure: { kind, resetAt: undefined, toError: error } };
}

function contentType(headers: Headers): string {
  return headers.get('Content-Type') ?? 'no Content-Type';
}

function snippet(text: string): string {
  return JSON.stringify(cut(text.replace(/\s+/g, ' ').trim()));
}

function cut(text: string): string {
  return text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH)}...` : text;
}
