// Turns one HTTP response into the operation's result, or a failure that says what kind it is, so the
// engine can decide whether (and when) to send the request again.
import type { ApiErrorDTO } from '../../generated/schema.ts';
import { ApiError, type ApiErrorDetails, describeErrors } from '../errors/api-error.ts';
import { BadRequestError } from '../errors/bad-request-error.ts';
import { ForbiddenError } from '../errors/forbidden-error.ts';
import type { MarketError } from '../errors/market-error.ts';
import { NotFoundError } from '../errors/not-found-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { ServerError } from '../errors/server-error.ts';
import { UnauthorizedError } from '../errors/unauthorized-error.ts';
import { UnexpectedResponseError } from '../errors/unexpected-response-error.ts';
import type { RateLimitState } from '../rate-limit.ts';
import type { Operation } from './operation.ts';
import { isRateLimitStatus, RETRYABLE_STATUSES } from './retry-delay.ts';

/**
 * - `final`: not worth sending again (4xx, a broken contract, a deadline).
 * - `quota`: a 420/429 that says when to come back; the API did not act. Waiting is not a retry.
 * - `parallel-limit`: a 420 while quota remains: too many requests in flight for the business.
 * - `rate-limit`: a 420/429 that says neither; the API did not act.
 * - `refused`: no connection was made, so nothing was sent.
 * - `server`, `timeout`, `connection`: the request may have reached the API.
 */
export type FailureKind =
  | 'final'
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

/** `body` is the text of a 2xx (undefined when empty), or openapi-fetch's JSON-or-text error value. */
export function readResponse<Result>(
  operation: Operation<{ businessId: number }, Result>,
  response: Response,
  body: unknown,
  rateLimit: RateLimitState | undefined,
  resetAt: Date | undefined,
): Outcome<Result> {
  const { status, headers } = response;
  // Stryker disable next-line ConditionalExpression: a Response has a status of 200 to 599
  if (status >= 200 && status < 300) return readOkBody(operation, response, body);
  // Stryker disable next-line ConditionalExpression: a Response has a status of 200 to 599, and 2xx went above
  if (status >= 300 && status < 400) {
    const location = headers.get('Location') ?? 'no Location';
    return unexpected(
      operation.name,
      response,
      `HTTP ${status} redirect (${location}) not followed: the client never sends its credential to another address; check baseUrl`,
    );
  }
  const { errors, bodyProblem } = readErrors(body, headers);
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

function readOkBody<Result>(
  operation: Operation<{ businessId: number }, Result>,
  response: Response,
  body: unknown,
): Outcome<Result> {
  const { status } = response;
  if (typeof body !== 'string' || body.trim() === '') {
    return unexpected(operation.name, response, `HTTP ${status} with an empty body; expected JSON`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return unexpected(
      operation.name,
      response,
      `HTTP ${status} with a body that is not JSON (${contentType(response.headers)}): ${snippet(body)}`,
    );
  }
  const read = operation.readResult(parsed);
  if (read.ok) return read;
  // A 200 that says ERROR without a usable result still carries Yandex's reasons: keep them.
  const saysError = (parsed as { status?: unknown } | null)?.status === 'ERROR';
  const { errors } = saysError ? readErrors(parsed, response.headers) : { errors: [] };
  const reasons = errors.length === 0 ? '' : `; it says status ERROR: ${describeErrors(errors)}`;
  return unexpected(operation.name, response, `HTTP ${status} body ${read.problem}${reasons}`, errors);
}

function readErrors(
  body: unknown,
  headers: Headers,
): { errors: ApiErrorDTO[]; bodyProblem: string | undefined } {
  if (body === undefined || body === '') return { errors: [], bodyProblem: 'empty body' };
  if (typeof body === 'string') {
    return { errors: [], bodyProblem: `body is not JSON (${contentType(headers)}): ${snippet(body)}` };
  }
  // Stryker disable next-line ConditionalExpression: a number or a boolean has no errors either
  if (typeof body !== 'object' || body === null) {
    // Stryker disable next-line StringLiteral: the message says the same when bodyProblem is empty
    return { errors: [], bodyProblem: 'no error details in the body' }; // JSON null, a number, ...
  }
  const list = (body as { errors?: unknown }).errors;
  const errors: ApiErrorDTO[] = [];
  if (Array.isArray(list)) {
    for (const item of list) {
      const { code, message } = (item ?? {}) as { code?: unknown; message?: unknown };
      if (typeof code !== 'string') continue;
      errors.push(typeof message === 'string' ? { code, message } : { code });
    }
  }
  // Stryker disable next-line ConditionalExpression,StringLiteral,EqualityOperator: the message says the same without a bodyProblem
  return { errors, bodyProblem: errors.length === 0 ? 'no error details in the body' : undefined };
}

export function unexpected(
  operation: string,
  response: { status: number; headers: Headers },
  message: string,
  errors: readonly ApiErrorDTO[] = [],
): Outcome<never> {
  const error = () => new UnexpectedResponseError(operation, message, response, errors);
  return { ok: false, failure: { kind: 'final', resetAt: undefined, toError: error } };
}

function contentType(headers: Headers): string {
  return headers.get('Content-Type') ?? 'no Content-Type';
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}...` : flat);
}
