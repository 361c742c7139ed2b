import { headerValues, highest, lowest, parseCount, parseResetTime } from './internal/header-values.ts';

/** The `X-RateLimit-Resource-*` headers of one response: Yandex's per-business hourly quota for the method. */
export interface RateLimitState {
  /** The business the response was for (the quota is per business). */
  businessId: number;
  /** `X-RateLimit-Resource-Limit`: requests allowed per window (1,000 per hour for createChat). */
  limit: number | undefined;
  /** `X-RateLimit-Resource-Remaining`: requests left in the window. */
  remaining: number | undefined;
  /** `X-RateLimit-Resource-Until`: when the window resets. */
  resetAt: Date | undefined;
}

/**
 * Reads the rate-limit headers; undefined when the response carried none of them (e.g. from a proxy).
 * A header sent more than once is read on the safe side: the lowest Limit and Remaining, the latest Until.
 */
export function readRateLimit(headers: Headers, businessId: number): RateLimitState | undefined {
  const limit = lowest(headerValues(headers.get('X-RateLimit-Resource-Limit'), parseCount));
  const remaining = lowest(headerValues(headers.get('X-RateLimit-Resource-Remaining'), parseCount));
  const resets = headerValues(headers.get('X-RateLimit-Resource-Until'), parseResetTime);
  const latest = highest(resets.map((date) => date.getTime()));
  const resetAt = latest === undefined ? undefined : new Date(latest);
  if (limit === undefined && remaining === undefined && resetAt === undefined) return undefined;
  return { businessId, limit, remaining, resetAt };
}
