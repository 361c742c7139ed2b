import { describe, expect, it } from 'vitest';
import { readRateLimit } from './read-rate-limit.ts';
import { backoffDelayMs, parseRetryAfterMs, serverResetAt as resetAt, serverDate } from './retry-delay.ts';
import { ServerClock } from './server-clock.ts';

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
    ['Wednesday, 25-Nov-26 12:00:30 GMT', 30000], // RFC 850, obsolete but still an HTTP-date
    ['Wed Nov 25 12:00:30 2026', 30000], // asctime, always GMT
    ['Wed Nov  5 12:00:00 2026', -20 * 24 * 3600 * 1000],
    ['soon', undefined],
    ['-1', undefined],
    // Date.parse reads these as 2030-01-01 and 2001-05-01: they are not HTTP-dates.
    ['later 2030', undefined],
    ['garbage 5', undefined],
    ['Nov 2030', undefined],
    ['2026-11-25T12:00:30Z', undefined], // ISO 8601 is not an HTTP-date
    ['Wed, 31 Feb 2026 12:00:00 GMT', undefined], // Date.parse rolls it over to 3 March
    ['Wed, 25 Nov 2026 24:00:00 GMT', undefined],
    ['Wed, 25 Nov 2026 12:00:30 UTC', undefined],
    ['Wed, 25 Nov 2026 12:00:30 +0000', undefined],
    ['Wed, 5 Nov 2026 12:00:30 GMT', undefined], // the day has two digits in IMF-fixdate
    ['.5', undefined],
    ['5.', undefined],
    ['+5', undefined],
    ['5 s', undefined],
  ])('%j -> %j', (value, expected) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(expected);
  });

  // A header sent twice arrives joined by ", ": the longest valid wait counts; the commas of HTTP-dates stay.
  it.each([
    ['2, 2', 2000],
    ['2,5', 5000],
    ['5, 2', 5000],
    ['garbage, 3, later 2030', 3000],
    ['Wed, 25 Nov 2026 12:00:30 GMT, Wed, 25 Nov 2026 12:00:10 GMT', 30000],
    ['3, Wed, 25 Nov 2026 12:00:10 GMT', 10000],
    ['Wed, 25 Nov 2026 11:59:00 GMT, 1', 1000],
    ['Wednesday, 25-Nov-26 12:00:40 GMT, Wed Nov 25 12:00:30 2026', 40000],
    ['Wed, 25 Nov 2026 12:00:30 GMT,', 30000],
    ['Wed, 2', undefined],
    ['Wed', undefined],
    [', ,', undefined],
  ])('repeated: %j -> %j', (value, expected) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(expected);
  });

  it('is undefined without the header', () => {
    expect(parseRetryAfterMs(null, NOW)).toBeUndefined();
  });
});

/** serverResetAt for a response received at NOW, with the clock offset its own Date header gives. */
function serverResetAt(
  status: number,
  headers: Headers,
  rateLimit: ReturnType<typeof readRateLimit>,
  now: number,
) {
  const clock = new ServerClock();
  const date = serverDate(headers);
  if (date !== undefined) clock.observe(date, now, now);
  return resetAt(status, headers, rateLimit, now, clock.offsetMs);
}

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
    // The server's clock is 5 minutes behind ours; it asks us to come back 20 s after its Date, which it
    // truncated to the second: 19-20 s from our now, read as the middle of that second.
    const h = headers({
      Date: 'Wed, 25 Nov 2026 11:55:00 GMT',
      'X-RateLimit-Resource-Remaining': '0',
      'X-RateLimit-Resource-Until': 'Wed, 25 Nov 2026 11:55:20 GMT',
    });
    expect(serverResetAt(420, h, readRateLimit(h, 1), NOW)).toEqual(new Date(NOW + 19_500));
    const retryAfter = headers({
      Date: 'Wed, 25 Nov 2026 12:10:00 GMT',
      'Retry-After': 'Wed, 25 Nov 2026 12:10:07 GMT',
    });
    expect(serverResetAt(503, retryAfter, undefined, NOW)).toEqual(new Date(NOW + 6_500));
  });

  it('reads header dates exactly when the Date header agrees with our clock to the second', () => {
    const h = headers({
      Date: 'Wed, 25 Nov 2026 12:00:00 GMT',
      'X-RateLimit-Resource-Remaining': '0',
      'X-RateLimit-Resource-Until': 'Wed, 25 Nov 2026 12:00:02 GMT',
    });
    expect(serverResetAt(420, h, readRateLimit(h, 1), NOW + 700)).toEqual(new Date(NOW + 2_000));
  });

  it('reports a reset past a year as the server said it', () => {
    const h = headers({ 'Retry-After': 'Sat, 01 Jan 2100 00:00:00 GMT' });
    expect(serverResetAt(503, h, undefined, NOW)).toEqual(new Date('2100-01-01T00:00:00Z'));
    const reset = headers({ ...until, 'X-RateLimit-Resource-Until': 'Sat, 01 Jan 2100 00:00:00 GMT' });
    expect(serverResetAt(420, reset, readRateLimit(reset, 1), NOW)).toEqual(new Date('2100-01-01T00:00:00Z'));
  });

  it('reports a reset too far for a Date as the last valid Date, not an invalid one', () => {
    for (const seconds of ['99999999999999', '9'.repeat(400)]) {
      const resetAt = serverResetAt(420, headers({ 'Retry-After': seconds }), undefined, NOW);
      expect(resetAt?.toISOString()).toBe('+275760-09-13T00:00:00.000Z');
    }
  });

  it('waits for the longest of a repeated Retry-After, against the earliest of a repeated Date', () => {
    const h = new Headers();
    h.append('Retry-After', '2');
    h.append('Retry-After', '2');
    expect(serverResetAt(503, h, undefined, NOW)).toEqual(new Date(NOW + 2000));
    h.append('Date', 'Wed, 25 Nov 2026 11:59:50 GMT');
    h.append('Date', 'Wed, 25 Nov 2026 11:59:40 GMT');
    h.append('Date', 'garbage');
    h.append('Retry-After', 'Wed, 25 Nov 2026 12:00:00 GMT');
    expect(serverResetAt(503, h, undefined, NOW)).toEqual(new Date(NOW + 19_500));
  });

  it('ignores the reset when quota remains (the 420 came from the in-flight limit)', () => {
    const h = headers({ ...until, 'X-RateLimit-Resource-Remaining': '3' });
    expect(serverResetAt(420, h, readRateLimit(h, 1), NOW)).toBeUndefined();
  });
});

describe('readRateLimit', () => {
  it('reads X-RateLimit-Resource-Until as an HTTP date, or a full ISO 8601 time with its zone', () => {
    const resetAt = (until: string) =>
      readRateLimit(new Headers({ 'X-RateLimit-Resource-Until': until }), 1)?.resetAt;
    expect(resetAt('Wed, 25 Nov 2026 13:00:00 GMT')).toEqual(new Date('2026-11-25T13:00:00Z'));
    expect(resetAt('Wednesday, 25-Nov-26 13:00:00 GMT')).toEqual(new Date('2026-11-25T13:00:00Z'));
    expect(resetAt('Wed Nov 25 13:00:00 2026')).toEqual(new Date('2026-11-25T13:00:00Z'));
    expect(resetAt('2026-11-25T13:00:00Z')).toEqual(new Date('2026-11-25T13:00:00Z'));
    expect(resetAt('2026-11-25T16:00:00.250+03:00')).toEqual(new Date('2026-11-25T13:00:00.250Z'));
    // Lenient Date.parse would take all of these; without a zone the time is ambiguous.
    for (const loose of [
      'later 2030',
      'garbage 5',
      '2026-11-25 13:00',
      '2026-11-25T13:00:00',
      '2026-11-25',
    ]) {
      expect(resetAt(loose), loose).toBeUndefined();
    }
  });

  it('reads repeated headers as the lowest Limit and Remaining and the latest Until', () => {
    const h = new Headers();
    for (const [limit, remaining, until] of [
      ['1000', '5', 'Wed, 25 Nov 2026 12:10:00 GMT'],
      ['500', '0', 'Wed, 25 Nov 2026 13:00:00 GMT'],
      ['x', 'x', 'later 2030'],
      ['2000', '7', '2026-11-25T12:30:00Z'],
    ] as const) {
      h.append('X-RateLimit-Resource-Limit', limit);
      h.append('X-RateLimit-Resource-Remaining', remaining);
      h.append('X-RateLimit-Resource-Until', until);
    }
    expect(readRateLimit(h, 1)).toEqual({
      businessId: 1,
      limit: 500,
      remaining: 0,
      resetAt: new Date('2026-11-25T13:00:00Z'),
    });
  });

  it('reports any one of the headers on its own', () => {
    const only = (name: string, value: string) => readRateLimit(new Headers({ [name]: value }), 1);
    expect(only('X-RateLimit-Resource-Limit', '10')).toMatchObject({ limit: 10 });
    expect(only('X-RateLimit-Resource-Remaining', '0')).toMatchObject({ remaining: 0 });
    expect(only('X-RateLimit-Resource-Until', 'Wed, 25 Nov 2026 13:00:00 GMT')).toMatchObject({
      resetAt: new Date('2026-11-25T13:00:00Z'),
    });
  });

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
