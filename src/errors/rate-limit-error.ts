import { ApiError, type ApiErrorDetails } from './api-error.ts';

export interface RateLimitErrorDetails extends ApiErrorDetails {
  resetAt: Date | undefined;
  retryAfterMs: number | undefined;
}

/**
 * HTTP 420 (Yandex's "rate limit exceeded"; 429 is treated alike): thrown after the retries, or at once
 * when the server asks to wait longer than `maxRetryDelayMs`. `resetAt` says when to come back.
 */
export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
  /** When the server says the limit resets (`Retry-After` or `X-RateLimit-Resource-Until`), if it said. */
  readonly resetAt: Date | undefined;
  /** Milliseconds from the failure until `resetAt`. */
  readonly retryAfterMs: number | undefined;

  constructor(details: RateLimitErrorDetails, message?: string) {
    super(details, message);
    this.resetAt = details.resetAt;
    this.retryAfterMs = details.retryAfterMs;
  }
}
