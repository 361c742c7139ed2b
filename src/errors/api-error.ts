import type { ApiErrorDTO } from '../../generated/schema.ts';
import { attemptCount } from '../base/attempts.ts';
import type { RateLimitState } from '../base/rate-limit.ts';
import { MarketError } from './market-error.ts';

export interface ApiErrorDetails {
  /** The operation, e.g. `createChat`, for the message. */
  operation: string;
  status: number;
  errors: readonly ApiErrorDTO[];
  headers: Headers;
  rateLimit: RateLimitState | undefined;
  attempts: number;
  /** What the body looked like when it was not Yandex's error JSON, for the message. */
  bodyProblem?: string | undefined;
  /** The body when it was JSON, of any shape. */
  body?: unknown;
  /** Appended to the message, e.g. why the client stopped retrying early. */
  note?: string | undefined;
  /** When the server said to come back (`Retry-After`, or the quota reset of a 420), in this machine's clock. */
  resetAt?: Date | undefined;
}

/** The API answered with an HTTP error status. Subclasses name the statuses that callers handle apart. */
export class ApiError extends MarketError {
  override name = 'ApiError';
  /** The HTTP status. */
  readonly status: number;
  /** Yandex's error list from the body (`errors[]`), empty when the body had none. */
  readonly errors: readonly ApiErrorDTO[];
  /** The first error's code, e.g. `NOT_FOUND`, for quick checks. */
  readonly code: string | undefined;
  /** The response headers (an echo of the client's credential replaced by `[REDACTED]`). */
  readonly headers: Headers;
  /**
   * The body when it was JSON, of any shape (Yandex's `{ status, errors }` or another, e.g. a proxy's
   * `{ error: {...} }`), the credential replaced by `[REDACTED]`; undefined when it was empty or not JSON.
   */
  readonly body: unknown;
  /** The `X-RateLimit-Resource-*` headers of this response, if it had them. */
  readonly rateLimit: RateLimitState | undefined;
  /** How many requests were sent before giving up. */
  readonly attempts: number;
  /** When the server said to come back (`Retry-After`, or the reset of a used-up quota), if it said. */
  readonly resetAt: Date | undefined;
  /** Milliseconds from the failure until `resetAt`. */
  readonly retryAfterMs: number | undefined;

  constructor(details: ApiErrorDetails, message = describeApiError(details)) {
    super(message);
    this.status = details.status;
    this.errors = details.errors;
    this.code = details.errors[0]?.code;
    this.headers = details.headers;
    this.body = details.body;
    this.rateLimit = details.rateLimit;
    this.attempts = details.attempts;
    this.resetAt = details.resetAt;
    this.retryAfterMs =
      details.resetAt === undefined ? undefined : Math.max(0, details.resetAt.getTime() - Date.now());
  }
}

function describeApiError({
  operation,
  status,
  errors,
  attempts,
  bodyProblem,
  note,
}: ApiErrorDetails): string {
  const reasons = describeErrors(errors);
  const detail = reasons || bodyProblem || 'no error details in the body';
  const tail = note === undefined ? '' : `; ${note}`;
  return `${operation}: HTTP ${status} ${detail} (${attemptCount(attempts)})${tail}`;
}

/** `CODE: message; CODE2`: Yandex's error list as one line. */
export function describeErrors(errors: readonly ApiErrorDTO[]): string {
  return errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join('; ');
}
