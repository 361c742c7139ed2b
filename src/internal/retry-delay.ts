import type { RateLimitState } from '../base/rate-limit.ts';
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
 * When the server said to come back, in our clock: `Retry-After` first, else the quota reset of a 420/429
 * whose quota is used up. Header dates are in the server's clock; `offsetMs` (server minus ours, from
 * ServerClock) moves them into ours, so a client whose clock is minutes off still waits the right time.
 */
export function serverResetAt(
  status: number,
  headers: Headers,
  rateLimit: RateLimitState | undefined,
  receivedAt: number,
  offsetMs: number,
): Date | undefined {
  const serverNow = receivedAt + offsetMs;
  const retryAfterMs = parseRetryAfterMs(headers.get('Retry-After'), serverNow);
  if (retryAfterMs !== undefined) return inOurClock(receivedAt, retryAfterMs);
  if (!isRateLimitStatus(status)) return undefined;
  // A 420 with quota left is the in-flight limit, not the hourly one: the reset time says nothing then.
  if (rateLimit?.remaining !== undefined && rateLimit.remaining > 0) return undefined;
  if (rateLimit?.resetAt === undefined) return undefined;
  return inOurClock(receivedAt, rateLimit.resetAt.getTime() - serverNow);
}

/** The response's `Date` (ms); of a repeated one the earliest, which makes the longest waits. */
export function serverDate(headers: Headers): number | undefined {
  return lowest(headerValues(headers.get('Date'), parseHttpDate).map((date) => date.getTime()));
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

/**
 * The wait before sending again after the n-th parallel-limit 420 of a call (the business had too many
 * requests in flight): short, since a slot frees as soon as any request ends, doubling from 25 ms up to
 * 2 s, with jitter over half of it so that the replicas that collided do not collide again.
 */
export function parallelLimitDelayMs(n: number, random: () => number = Math.random): number {
  const base = Math.min(25 * 2 ** (n - 1), 2_000);
  return Math.round(base * (0.5 + 0.5 * random()));
}
