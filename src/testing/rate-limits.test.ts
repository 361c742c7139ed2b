// The limit on requests in flight at once per business, which the mock only enforces when asked (the
// quotas and their headers are tested through the mock, with an injected clock).
import { describe, expect, it } from 'vitest';
import { RateLimits } from './rate-limits.ts';

const enterTimes = (limits: RateLimits, businessId: number, times: number) =>
  Array.from({ length: times }, () => limits.enter(businessId));

describe('requests in flight', () => {
  it('are 4 per business when enforced with the defaults; one more is refused until one leaves', () => {
    const limits = new RateLimits({}, () => 0);
    expect(enterTimes(limits, 1, 5)).toEqual([true, true, true, true, false]);
    expect(limits.enter(2)).toBe(true);
    limits.leave(1);
    limits.leave(1);
    expect(limits.enter(1)).toBe(true);
    expect(limits.enter(1)).toBe(false);
  });

  it('follow the inFlight option, and a business that left every request starts again', () => {
    const limits = new RateLimits({ inFlight: 1 }, () => 0);
    expect(enterTimes(limits, 1, 2)).toEqual([true, false]);
    limits.leave(1);
    limits.leave(1);
    limits.leave(1);
    expect(enterTimes(limits, 1, 2)).toEqual([true, false]);
  });

  it('are not limited, and answers not held, unless the limits are given', () => {
    const limits = new RateLimits(undefined, () => 0);
    expect(enterTimes(limits, 1, 10).every(Boolean)).toBe(true);
    expect(limits.delayMs).toBe(0);
    expect(new RateLimits({ delayMs: 20 }, () => 0).delayMs).toBe(20);
  });
});

describe('the hourly quota', () => {
  it('counts past its end without a 420 unless the limits are given, never below 0 remaining', () => {
    const free = new RateLimits(undefined, () => 0);
    expect([1, 2, 3].map(() => free.take(1, 'getChat', 2))).toEqual([
      { limit: 2, remaining: 1, until: 3_600_000, exceeded: false },
      { limit: 2, remaining: 0, until: 3_600_000, exceeded: false },
      { limit: 2, remaining: 0, until: 3_600_000, exceeded: false },
    ]);
    const enforced = new RateLimits({ quotas: { getChat: 1 } }, () => 0);
    expect([1, 2].map(() => enforced.take(1, 'getChat', 1000).exceeded)).toEqual([false, true]);
    expect(enforced.take(1, 'getChats', 5000)).toMatchObject({ limit: 5000, remaining: 4999 });
  });
});
