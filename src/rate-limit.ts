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
  const limit = parseCount(headers.get('X-RateLimit-Resource-Limit'));
  const remaining = parseCount(headers.get('X-RateLimit-Resource-Remaining'));
  const resetAt = parseHttpDate(headers.get('X-RateLimit-Resource-Until'));
  if (limit === undefined && remaining === undefined && resetAt === undefined) return undefined;
  return { businessId, limit, remaining, resetAt };
}

function parseCount(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** An HTTP date (`Thu, 10 Jul 2018 00:42:42 GMT`), or ISO 8601, which some proxies send. */
export function parseHttpDate(value: string | null): Date | undefined {
  // Date.parse also takes bare numbers ("-1" is a year): a real date always has letters (a day, T, GMT).
  if (value === null || !/[a-z]/i.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
