// The Partner API's limits as the mock keeps them: an hourly quota per method and business (counted for
// every answered request, 4xx too), reported in X-RateLimit-Resource-*; and, when asked, at most N
// requests in flight at once per business. Enforcement (a 420) only when the mock's `limits` are given.
import type { OperationId } from './api-operations.ts';

export interface MockLimits {
  /** Requests in flight at once per business before the API's 420 (default 4, as the real API). */
  inFlight?: number;
  /** Hourly quotas that replace the spec's (x-resource-limit-config) for these operations. */
  quotas?: Partial<Record<OperationId, number>>;
  /** Hold every answer this long (ms), so that requests overlap as on a slow network. */
  delayMs?: number;
}

const HOUR_MS = 3_600_000;

interface Window {
  startedAt: number;
  used: number;
}

export interface QuotaReading {
  limit: number;
  remaining: number;
  /** When the quota is whole again (ms since the epoch). */
  until: number;
}

export class RateLimits {
  private readonly windows = new Map<string, Window>();
  private readonly inFlight = new Map<number, number>();

  constructor(
    private readonly enforced: MockLimits | undefined,
    private readonly now: () => number,
  ) {}

  private quota(operation: OperationId, specQuota: number): number {
    return this.enforced?.quotas?.[operation] ?? specQuota;
  }

  private window(businessId: number, operation: OperationId): Window {
    const key = `${businessId}/${operation}`;
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || now >= window.startedAt + HOUR_MS) {
      window = { startedAt: now, used: 0 };
      this.windows.set(key, window);
    }
    return window;
  }

  /** Counts one request; `exceeded` says whether the quota was already used up (enforced only). */
  take(businessId: number, operation: OperationId, specQuota: number): QuotaReading & { exceeded: boolean } {
    const window = this.window(businessId, operation);
    const limit = this.quota(operation, specQuota);
    const exceeded = this.enforced !== undefined && window.used >= limit;
    if (!exceeded) window.used += 1;
    return {
      limit,
      remaining: Math.max(0, limit - window.used),
      until: window.startedAt + HOUR_MS,
      exceeded,
    };
  }

  /** Starts a request in flight; false when it is one too many (enforced only). Call `leave` after. */
  enter(businessId: number): boolean {
    const count = this.inFlight.get(businessId) ?? 0;
    this.inFlight.set(businessId, count + 1);
    return count < this.maxInFlight;
  }

  /** How many requests may be in flight at once per business: no limit unless enforced. */
  get maxInFlight(): number {
    return this.enforced === undefined ? Number.POSITIVE_INFINITY : (this.enforced.inFlight ?? 4);
  }

  leave(businessId: number): void {
    const count = (this.inFlight.get(businessId) ?? 1) - 1;
    if (count <= 0) this.inFlight.delete(businessId);
    else this.inFlight.set(businessId, count);
  }

  get delayMs(): number {
    return this.enforced?.delayMs ?? 0;
  }
}

export function rateLimitHeaders(reading: QuotaReading): Record<string, string> {
  return {
    'X-RateLimit-Resource-Limit': String(reading.limit),
    'X-RateLimit-Resource-Remaining': String(reading.remaining),
    'X-RateLimit-Resource-Until': new Date(reading.until).toUTCString(),
  };
}
