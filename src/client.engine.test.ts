// The engine as users see it through createMarketClient: defaults (deadline, body cap), limits(), the
// server clock, hooks around validation, and a 200 that says ERROR for createChat.
import { describe, expect, it, vi } from 'vitest';
import {
  apiError,
  fakeApi,
  json,
  ok,
  type Reply,
  rejectionOf,
  type SentRequest,
} from '../test-support/fake-api.ts';
import { hang, useEngineClock } from '../test-support/fake-operations.ts';
import {
  createMarketClient,
  DeadlineError,
  type MarketClientSettings,
  RateLimitError,
  UnexpectedResponseError,
  ValidationError,
} from './index.ts';

const ORDER = { businessId: 123, context: { type: 'ORDER', id: 456 } } as const;
const START = Date.parse('2026-11-25T12:00:00.300Z');

function client(script: Reply[], options: MarketClientSettings = {}) {
  const api = fakeApi(...script);
  const market = createMarketClient({ apiKey: 'k', fetch: api.fetch, ...options });
  return { market, sent: api.sent };
}

const offsets = (sent: SentRequest[]) => sent.map((request) => request.at - START);

useEngineClock(START);

describe('createChat through the engine', () => {
  it('a 200 that says status ERROR without a result carries the errors and shows them', async () => {
    const body = { status: 'ERROR', errors: [{ code: 'ORDER_NOT_FOUND', message: 'no order 456' }] };
    const { market, sent } = client([json(200, body)]);
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error).toMatchObject({ status: 200, code: 'ORDER_NOT_FOUND', errors: body.errors });
    expect(error.message).toContain('it says status ERROR: ORDER_NOT_FOUND: no order 456');
    expect(sent).toHaveLength(1);
  });

  it('a validation error is thrown before the engine: nothing is sent and no hook hears of it', async () => {
    const onFailure = vi.fn();
    const onAttemptError = vi.fn();
    const { market, sent } = client([ok(1)], { hooks: { onFailure, onAttemptError } });
    const bad = { businessId: 0, context: ORDER.context };
    expect(await rejectionOf(market.createChat(bad))).toBeInstanceOf(ValidationError);
    expect(await rejectionOf(market.createChat(ORDER, { deadlineMs: 0 }))).toBeInstanceOf(ValidationError);
    expect(sent).toHaveLength(0);
    expect(onFailure).not.toHaveBeenCalled();
    expect(onAttemptError).not.toHaveBeenCalled();
  });
});

describe('the deadline', () => {
  it('is 300 000 ms by default, even when timeoutMs is longer', async () => {
    const { market, sent } = client([hang], { timeoutMs: 1_000_000 });
    const result = rejectionOf(market.createChat(ORDER));
    await vi.advanceTimersByTimeAsync(299_999);
    expect(await Promise.race([result, 'pending'])).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const error = await result;
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error).toMatchObject({ waitingFor: 'response', limitMs: 300_000, attempts: 1 });
    expect(sent).toHaveLength(1);
  });

  it('can be set per client and per call', async () => {
    const { market } = client([hang], { deadlineMs: 5_000 });
    const byClient = rejectionOf(market.createChat(ORDER));
    const byCall = rejectionOf(market.createChat(ORDER, { deadlineMs: 2_000 }));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await byCall).toMatchObject({ limitMs: 2_000 });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await byClient).toMatchObject({ limitMs: 5_000 });
  });
});

describe('the body cap', () => {
  it('is 10 MiB by default: a larger Content-Length is refused unread, not retried', async () => {
    const { market, sent } = client([
      () =>
        new Response(new ReadableStream(), { headers: { 'Content-Length': String(10 * 1024 * 1024 + 1) } }),
    ]);
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe(
      'createChat: HTTP 200 body the body is larger than maxResponseBytes (10485760 bytes)',
    );
    expect(sent).toHaveLength(1);
  });

  it('can be set', async () => {
    const { market } = client([ok(1)], { maxResponseBytes: 10 });
    expect((await rejectionOf(market.createChat(ORDER))).message).toContain('maxResponseBytes (10 bytes)');
  });
});

describe('limits()', () => {
  it('shows the in-flight limit a parallel-limit 420 lowered, raised back to 4 while calls keep succeeding', async () => {
    const parallel = apiError(420, 'LIMIT', 'parallel', { 'X-RateLimit-Resource-Remaining': '30' });
    const slow = () => new Promise<Response>((resolve) => setTimeout(() => resolve(ok(1)), 100));
    const { market } = client([parallel, slow]);
    const first = market.createChat(ORDER);
    await vi.advanceTimersByTimeAsync(0);
    expect(market.limits(123).inFlight).toEqual({ limit: 1, active: 0, waiting: 0 });
    await vi.runAllTimersAsync();
    await first;
    // Calm counts only while calls run: a pause (here 5 s without calls) proves nothing.
    await vi.advanceTimersByTimeAsync(5_000);
    const lone = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await lone;
    expect(market.limits(123).inFlight.limit).toBe(1);
    // Two calls at a time for 3 s, 100 ms each: a step up after a second and four successes per slot.
    const limits: number[] = [];
    const busy = async () => {
      for (let i = 0; i < 30; i++) await market.createChat(ORDER);
    };
    const chains = Promise.all([busy(), busy()]);
    for (let second = 0; second < 3; second++) {
      await vi.advanceTimersByTimeAsync(1_000);
      limits.push(market.limits(123).inFlight.limit);
    }
    await vi.runAllTimersAsync();
    await chains;
    expect(limits).toEqual([2, 3, 4]);
  });

  it("steps back up within the second when the quota counter shows that the others' calls stopped", async () => {
    const parallel = apiError(420, 'LIMIT', 'parallel', { 'X-RateLimit-Resource-Remaining': '30' });
    /** 200s after 10 ms whose Remaining drops by `step` per call of ours: step - 1 calls of others each. */
    const counting = (step: number) => {
      let remaining = 30;
      return () =>
        new Promise<Response>((resolve) => {
          remaining -= step;
          const headers = { 'X-RateLimit-Resource-Remaining': String(remaining) };
          setTimeout(() => resolve(ok(1, headers)), 10);
        });
    };
    const limitsAfter = async (step: number) => {
      const { market } = client([parallel, counting(step)]);
      const lowering = market.createChat(ORDER); // alone in flight at its 420: to 1
      await vi.advanceTimersByTimeAsync(0);
      const limits: number[] = [];
      const calls = Array.from({ length: 12 }, () =>
        market.createChat(ORDER).then(() => limits.push(market.limits(123).inFlight.limit)),
      );
      await vi.runAllTimersAsync();
      await Promise.all([lowering, ...calls]);
      return limits;
    };
    // Nobody else (the counter drops by ours alone): 1, 2, 3 and 4 in flight, each after a round of ours.
    expect(await limitsAfter(1)).toEqual([1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4]);
    expect(Date.now() - START).toBeLessThan(1_000);
    vi.setSystemTime(START);
    // Two calls of others per call of ours (1 + 2 of 4 slots): one slot may be free, but it is not two.
    expect(await limitsAfter(3)).toEqual(Array(12).fill(1));
  });

  it('counts every answer of ours that carries Remaining as ours (a 500 too), and skips one without it', async () => {
    const parallel = apiError(420, 'LIMIT', 'parallel', { 'X-RateLimit-Resource-Remaining': '30' });
    const remaining = (value: number) => ({ 'X-RateLimit-Resource-Remaining': String(value) });
    /** The limit after calls one at a time; the first is alone in flight at its 420: to 1. */
    const limitAfter = async (script: Reply[], calls: number) => {
      const { market } = client([parallel, ...script]);
      for (let i = 0; i < calls; i++) {
        const call = market.createChat(ORDER);
        await vi.runAllTimersAsync();
        await call;
      }
      return market.limits(123).inFlight.limit;
    };
    // 29, then 28 (a 500 of ours, retried) and 26: one call of others per call of ours, a step up.
    const fiveHundred = (headers = {}) => apiError(500, 'INTERNAL_ERROR', 'x', headers);
    expect(
      await limitAfter([ok(1, remaining(29)), fiveHundred(remaining(28)), ok(1, remaining(26))], 2),
    ).toBe(2);
    // Were the 500 not ours, 29 to 26 would be two calls of others for one of ours: no step.
    expect(await limitAfter([ok(1, remaining(29)), fiveHundred(), ok(1, remaining(26))], 2)).toBe(1);
    // An answer without Remaining (here with Limit only) says nothing: 29 then 28 follow each other, a step up.
    const limitOnly = ok(1, { 'X-RateLimit-Resource-Limit': '1000' });
    expect(await limitAfter([ok(1, remaining(29)), limitOnly, ok(1, remaining(28))], 3)).toBe(2);
  });

  it('forgets a lowered in-flight limit after a minute without calls', async () => {
    const parallel = apiError(420, 'LIMIT', 'parallel', { 'X-RateLimit-Resource-Remaining': '30' });
    const { market } = client([parallel, ok(1)]);
    const first = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await first;
    expect(market.limits(123).inFlight.limit).toBe(1);
    await vi.advanceTimersByTimeAsync(59_000);
    const early = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await early;
    expect(market.limits(123).inFlight.limit).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    const late = market.createChat(ORDER);
    await vi.advanceTimersByTimeAsync(0);
    expect(market.limits(123).inFlight.limit).toBe(4); // a lowered lane is kept while idle, so: forgotten
    await vi.runAllTimersAsync();
    await late;
  });

  it('shows the quota of createChat per business, as its last response said', async () => {
    const headers = {
      'X-RateLimit-Resource-Limit': '1000',
      'X-RateLimit-Resource-Remaining': '998',
      'X-RateLimit-Resource-Until': 'Wed, 25 Nov 2026 13:00:00 GMT',
    };
    const { market } = client([ok(1, headers)]);
    await market.createChat(ORDER);
    expect(market.limits(123)).toEqual({
      inFlight: { limit: 4, active: 0, waiting: 0 },
      quotas: {
        createChat: {
          businessId: 123,
          limit: 1000,
          remaining: 998,
          resetAt: new Date('2026-11-25T13:00:00Z'),
        },
      },
    });
    expect(market.limits(124).quotas).toEqual({});
  });
});

describe('the server clock', () => {
  const until = (value: string) => ({
    'X-RateLimit-Resource-Remaining': '0',
    'X-RateLimit-Resource-Until': value,
  });

  const quota420 = (headers: Record<string, string>) => apiError(420, 'LIMIT', 'quota', headers);
  const lastCall200 = (headers: Record<string, string>) => ok(1, headers);
  // Our clock says 12:00:00.300; the server's Date says <hour>:00:00 (truncated), Until <hour>:00:01. In
  // agreement the wait ends at Until, not up to a second later. An hour ahead, the wait is the middle of
  // what Date allows (between 0 and 1000 ms).
  it.each([
    ['in agreement', 'a quota 420', quota420, '12', 700],
    ['in agreement', 'a 200 that used the last call', lastCall200, '12', 700],
    ['an hour apart', 'a quota 420', quota420, '13', 500],
    ['an hour apart', 'a 200 that used the last call', lastCall200, '13', 500],
  ])(
    'with clocks %s, the wait after %s is within the second the headers allow',
    async (_, __, reply, hour, delayMs) => {
      const headers = {
        Date: `Wed, 25 Nov 2026 ${hour}:00:00 GMT`,
        ...until(`Wed, 25 Nov 2026 ${hour}:00:01 GMT`),
      };
      const onHeld = vi.fn();
      const { market, sent } = client([reply(headers), ok(2)], { hooks: { onHeld } });
      const first = settleLater(market.createChat(ORDER));
      await vi.advanceTimersByTimeAsync(0);
      const second = market.createChat(ORDER);
      await vi.runAllTimersAsync();
      await first;
      await second;
      expect(offsets(sent).slice(0, 2)).toEqual([0, delayMs]);
      expect(onHeld.mock.calls[0]?.[0]).toMatchObject({ reason: 'quota', delayMs });
    },
  );

  it('with a server an hour ahead, a Retry-After date of a 503 without rate-limit headers is read on its clock', async () => {
    const headers = { Date: 'Wed, 25 Nov 2026 13:00:00 GMT', 'Retry-After': 'Wed, 25 Nov 2026 13:00:02 GMT' };
    const { market, sent } = client([apiError(503, 'UNAVAILABLE', 'later', headers), ok(2)]);
    const result = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await result;
    expect(offsets(sent)).toEqual([0, 1_500]);
  });

  it('a hold just at maxRetryDelayMs is waited for; one past it fails at once', async () => {
    const far = client([ok(1, until('2026-11-25T12:01:00.301Z'))]);
    await far.market.createChat(ORDER);
    const error = await rejectionOf(far.market.createChat(ORDER));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ attempts: 0, resetAt: new Date('2026-11-25T12:01:00.301Z') });
    expect(far.sent).toHaveLength(1);
    const { market, sent } = client([ok(1, until('2026-11-25T12:01:00.300Z')), ok(2)]);
    await market.createChat(ORDER);
    const waited = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await waited;
    expect(offsets(sent)).toEqual([0, 60_000]);
  });
});

function settleLater<T>(promise: Promise<T>): Promise<unknown> {
  return promise.catch((error: unknown) => error);
}
