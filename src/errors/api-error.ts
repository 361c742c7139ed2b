import type { ApiErrorDTO } from '../../generated/schema.ts';
import { attemptCount } from '../internal/attempts.ts';
import type { RateLimitState } from '../rate-limit.ts';
import { MarketError } from './market-error.ts';

export interface ApiErrorDetails {
  status: number;
  errors: readonly ApiErrorDTO[];
  headers: Headers;
  rateLimit: RateLimitState | undefined;
  attempts: number;
  /** What the body looked like when it was not Yandex's error JSON, for the message. */
  bodyProblem?: string | undefined;
  /** Appended to the message, e.g. why the client stopped retrying early. */
  note?: string | undefined;
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
  /** The response headers. */
  readonly headers: Headers;
  /** The `X-RateLimit-Resource-*` headers of this response, if it had them. */
  readonly rateLimit: RateLimitState | undefined;
  /** How many requests were sent before giving up. */
  readonly attempts: number;

  constructor(details: ApiErrorDetails, message = describeApiError(details)) {
    super(message);
    this.status = details.status;
    this.errors = details.errors;
    this.code = details.errors[0]?.code;
    this.headers = details.headers;
    this.rateLimit = details.rateLimit;
    this.attempts = details.attempts;
  }
}

function describeApiError({ status, errors, attempts, bodyProblem, note }: ApiErrorDetails): string {
  const reasons = errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join('; ');
  const detail = reasons || bodyProblem || 'no error details in the body';
  const tail = note === undefined ? '' : `; ${note}`;
  return `createChat: HTTP ${status} ${detail} (${attemptCount(attempts)})${tail}`;
}
