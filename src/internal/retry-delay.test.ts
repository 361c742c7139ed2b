import { describe, expect, it } from 'vitest';
import { readRateLimit } from '../rate-limit.ts';
import { backoffDelayMs, parseRetryAfterMs, serverResetAt } from './retry-delay.ts';

const NOW = Date.parse('2026-11-25T12:00:00Z');

describe('backoffDelayMs', () => {
  it('doubles from 500 ms up to the 8 s cap, minus at most 25 % jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelayMs(n, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(backoffDelayMs(1, () => 0.5)).toBe(438);
    expect(backoffDelayMs(5, () => 0.9999)).toBe(6000);
  });
});

describe('parseRetryAfterMs', () => {
  it.each([
    ['3', 3000],
    ['0.5', 500],
    [' 10 ', 10000],
    ['Wed, 25 Nov 2026 12:00:30 GMT', 30000],
    ['Wed, 25 Nov 2026 11:59:00 GMT', -60000],
    ['soon', undefined],
    ['-1', undefined],
  ])('%j -> %j', (value, expected) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(expected);
  });

  it('is undefined without the header', () => {
    expect(parseRetryAfterMs(null, NOW)).toBeUndefined();
  });
});

describe('serverResetAt', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  const until = {
    'X-RateLimit-Resource-Remaining': '0',
    'X-RateLimit-Resource-Until': 'Wed, 25 Nov 2026 12:10:00 GMT',
  };

  it('prefers Retry-After over the rate-limit reset', () => {
    const h = headers({ ...until, 'Retry-After': '5' });
    expect(serverResetAt(420, h, readRateLimit(h, 1), NOW)).toEqual(new Date(NOW + 5000));
  });

  it('uses the reset of a used-up quota on 420 and 429 only', () => {
    const h = headers(until);
    const rateLimit = readRateLimit(h, 1);
    expect(serverResetAt(420, h, rateLimit, NOW)).toEqual(new Date('2026-11-25T12:10:00Z'));
    expect(serverResetAt(429, h, rateLimit, NOW)).toEqual(new Date('2026-11-25T12:10:00Z'));
    expect(serverResetAt(503, h, rateLimit, NOW)).toBeUndefined();
  });

  it("reads header dates against the server's Date header, so a skewed local clock still waits right", () => {
    // The server's clock is 5 minutes behind ours; it asks us to come back 20 s after its now.
    const h = headers({
      Date: 'Wed, 25 Nov 2026 11:55:00 GMT',
      'X-RateLimit-Resource-Remaining': '0',
      'X-RateLimit-Resource-Until': 'Wed, 25 Nov 2026 11:55:20 GMT',
    });
    expect(serverResetAt(420, h, readRateLimit(h, 1), NOW)).toEqual(new Date(NOW + 20_000));
    const retryAfter = headers({
      Date: 'Wed, 25 Nov 2026 12:10:00 GMT',
      'Retry-After': 'Wed, 25 Nov 2026 12:10:07 GMT',
    });
    expect(serverResetAt(503, retryAfter, undefined, NOW)).toEqual(new Date(NOW + 7_000));
  });

  it('ignores the reset when quota remains (the 420 came from the in-flight limit)', () => {
    const h = headers({ ...until, 'X-RateLimit-Resource-Remaining': '3' });
    expect(serverResetAt(420, h, readRateLimit(h, 1), NOW)).toBeUndefined();
  });
});

describe('readRateLimit', () => {
  it('parses the three headers, tolerating missing or malformed ones', () => {
    expect(readRateLimit(new Headers(), 1)).toBeUndefined();
    expect(
      readRateLimit(
        new Headers({ 'X-RateLimit-Resource-Limit': '1000', 'X-RateLimit-Resource-Remaining': 'x' }),
        7,
      ),
    ).toEqual({
      businessId: 7,
      limit: 1000,
      remaining: undefined,
      resetAt: undefined,
    });
  });
});
