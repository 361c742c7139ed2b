import type { RateLimitState } from '../rate-limit.ts';
import { isRateLimitStatus, parseRetryAfterMs } from './retry-delay.ts';

/**
 * When the server said to come back, in our clock: `Retry-After` first, else the quota reset of a 420/429
 * whose quota is used up. Header dates are in the server's clock; `offsetMs` (server minus ours, from
 * ServerClock) moves them into ours, so a client whose clock is minutes off still waits the right time.
 */
export function resetTime(
  status: number,
  headers: Headers,
  rateLimit: RateLimitState | undefined,
  receivedAt: number,
  offsetMs: number,
): Date | undefined {
  const serverNow = receivedAt + offsetMs;
  const retryAfterMs = parseRetryAfterMs(headers.get('Retry-After'), serverNow);
  if (retryAfterMs !== undefined) return validDate(receivedAt + retryAfterMs);
  if (!isRateLimitStatus(status)) return undefined;
  // A 420 with quota left is the in-flight limit, not the hourly one: the reset time says nothing then.
  if (rateLimit?.resetAt === undefined) return undefined;
  if (rateLimit.remaining !== undefined && rateLimit.remaining > 0) return undefined;
  return validDate(rateLimit.resetAt.getTime() - offsetMs);
}

/** The latest time a Date can hold (about 275,760 AD): a later header value is nonsense, read as that. */
const LATEST_DATE_MS = 8.64e15;

function validDate(ms: number): Date {
  return new Date(Math.min(ms, LATEST_DATE_MS));
}
