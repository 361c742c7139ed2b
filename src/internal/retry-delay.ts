import type { RateLimitState } from '../rate-limit.ts';
import { headerValues, highest, lowest, parseDeltaSecondsMs, parseHttpDate } from './header-values.ts';

/** Statuses worth another attempt: rate limits (Yandex's 420, the standard 429) and transient 5xx. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([420, 429, 500, 502, 503, 504]);

export const INITIAL_RETRY_DELAY_MS = 500;
export const MAX_BACKOFF_DELAY_MS = 8_000;

/**
 * Exponential backoff for the n-th retry (1-based): 0.5 s, 1 s, 2 s, ... capped at 8 s, minus up to 25 %
 * jitter so that clients which failed together do not retry together.
 */
export function backoffDelayMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** (retry - 1), MAX_BACKOFF_DELAY_MS);
  return Math.round(base * (1 - 0.25 * random()));
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP-date. Sent more than once, the longest
 * wait counts: coming back too early only earns another refusal.
 */
export function parseRetryAfterMs(value: string | null, now: number): number | undefined {
  return highest(
    headerValues(value, (element) => {
      const date = parseHttpDate(element);
      return date === undefined ? parseDeltaSecondsMs(element) : date.getTime() - now;
    }),
  );
}

/**
 * When the server said to come back, in this machine's clock: `Retry-After` first, else the rate-limit
 * reset of a 420/429. Dates in headers are in the server's clock, so they are read relative to its `Date`
 * header when it sent one: a client whose clock is minutes off still waits the right time.
 */
export function serverResetAt(
  status: number,
  headers: Headers,
  rateLimit: RateLimitState | undefined,
  now: number,
): Date | undefined {
  // Of a repeated Date, the earliest: it makes the longest wait.
  const dates = headerValues(headers.get('Date'), parseHttpDate);
  const serverNow = lowest(dates.map((date) => date.getTime())) ?? now;
  const retryAfterMs = parseRetryAfterMs(headers.get('Retry-After'), serverNow);
  if (retryAfterMs !== undefined) return inOurClock(now, retryAfterMs);
  if (!isRateLimitStatus(status)) return undefined;
  // A 420 with quota left is the in-flight limit, not the hourly one: the reset time says nothing then.
  if (rateLimit?.remaining !== undefined && rateLimit.remaining > 0) return undefined;
  if (rateLimit?.resetAt === undefined) return undefined;
  return inOurClock(now, rateLimit.resetAt.getTime() - serverNow);
}

/** The last moment a Date can hold (year 275760). */
const MAX_DATE_MS = 8.64e15;

/**
 * The server's moment, moved into our clock. However far it is, it is reported as the server said it (a
 * wait that long fails against maxRetryDelayMs anyway); only beyond what a Date can hold is it clamped.
 */
function inOurClock(now: number, waitMs: number): Date {
  return new Date(Math.min(now + waitMs, MAX_DATE_MS));
}

export function isRateLimitStatus(status: number): boolean {
  return status === 420 || status === 429;
}
