import { parseCount, parseResetTime } from './internal/header-values.ts';

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

/** Reads the rate-limit headers; undefined when the response carried none of them (e.g. from a proxy). */
export function readRateLimit(headers: Headers, businessId: number): RateLimitState | undefined {
  const limit = read(headers, 'X-RateLimit-Resource-Limit', parseCount);
  const remaining = read(headers, 'X-RateLimit-Resource-Remaining', parseCount);
  const resetAt = read(headers, 'X-RateLimit-Resource-Until', parseResetTime);
  if (limit === undefined && remaining === undefined && resetAt === undefined) return undefined;
  return { businessId, limit, remaining, resetAt };
}

function read<T>(headers: Headers, name: string, parse: (value: string) => T | undefined): T | undefined {
  const value = headers.get(name);
  return value === null ? undefined : parse(value);
}
