import type { RateLimitState } from '../base/rate-limit.ts';
import { headerValues, highest, lowest, parseCount, parseResetTime } from './header-values.ts';

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
