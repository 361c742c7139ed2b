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
