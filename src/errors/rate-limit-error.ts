import { ApiError } from './api-error.ts';

/**
 * HTTP 420 (Yandex's "rate limit exceeded"; 429 is treated alike): thrown after the retries, or at once
 * when the server asks to wait longer than `maxRetryDelayMs` or the call's deadline. Also thrown without
 * sending anything (`attempts` 0 for this call's own requests) when an earlier response showed that the
 * operation's quota for the business is used up until a time too far away. `resetAt` says when to come back.
 */
export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
}
