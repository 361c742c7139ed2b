// Re-sends after 420/429 answers: bounded by maxRateLimitResends (not maxRetries), reported by onRetry
// with the budget they used; holds that send nothing are no re-sends. Fake timers throughout.
import { describe, expect, it, vi } from 'vitest';
import { apiError, type Reply, rejectionOf, type SentRequest } from '../../test-support/fake-api.ts';
import {
  callWith,
  fakeEngine,
  getThing,
  ENGINE_NOW as NOW,
  sendThing,
  thing,
  useEngineClock,
} from '../../test-support/fake-operations.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { ServerError } from '../errors/server-error.ts';

const B1 = { businessId: 1, id: 1 };

useEngineClock();

/** Rate-limit headers whose window ends `untilMs` after the moment the answer is built (a reply
 *  function builds it when the request arrives; a Response in the script, at NOW). */
function quotaFromNow(remaining: number, untilMs: number): Record<string, string> {
  return {
    'X-RateLimit-Resource-Limit': '40',
    'X-RateLimit-Resource-Remaining': String(remaining),
    'X-RateLimit-Resource-Until': new Date(Date.now() + untilMs).toISOString(),
  };
}

const ALWAYS_420: Record<string, Reply> = {
  'Retry-After: 1': () => apiError(420, 'LIMIT', 'x', { 'Retry-After': '1' }),
  'Remaining 0, Until 1.5 s ahead': () => apiError(420, 'LIMIT', 'x', quotaFromNow(0, 1_500)),
  'quota left (the in-flight limit)': () => apiError(420, 'LIMIT', 'x', quotaFromNow(5, 10_000)),
  'a 429 that says no time': () => apiError(429, 'LIMIT', 'x'),
};

function offsets(sent: SentRequest[]): number[] {
  return sent.map((request) => request.at - NOW);
}

describe('a call that only ever gets 420/429', () => {
  for (const [name, reply] of Object.entries(ALWAYS_420)) {
    for (const maxRetries of [0, 2]) {
      it(`${name}, maxRetries ${maxRetries}: 10 requests with the default maxRateLimitResends (9), then a RateLimitError`, async () => {
        const onRetry = vi.fn();
        const { engine, sent } = fakeEngine([reply], { hooks: { onRetry } });
        const result = rejectionOf(engine.call(getThing, B1, callWith({ maxRetries })));
        await vi.runAllTimersAsync();
        const error = await result;
        expect(error).toBeInstanceOf(RateLimitError);
        expect(error).toMatchObject({ attempts: 10 });
        expect(error.message).toContain('(10 attempts); maxRateLimitResends (9) used up');
        expect(sent).toHaveLength(10);
        expect(onRetry.mock.calls.map(([e]) => [e.attempt, e.budget])).toEqual(
          Array.from({ length: 9 }, (_, i) => [i + 1, 'rateLimitResends']),
        );
      });
    }
  }

  it('a per-call maxRateLimitResends bounds it for that call; 0 sends once', async () => {
    const { engine, sent } = fakeEngine([ALWAYS_420['Retry-After: 1'] as Reply]);
    const twice = rejectionOf(engine.call(getThing, B1, callWith({ maxRateLimitResends: 2 })));
    await vi.runAllTimersAsync();
    expect(await twice).toMatchObject({ attempts: 3 });
    expect(offsets(sent)).toEqual([0, 1_000, 2_000]);
    const once = await rejectionOf(engine.call(getThing, B1, callWith({ maxRateLimitResends: 0 })));
    expect(once).toBeInstanceOf(RateLimitError);
    expect(once.message).toContain('(1 attempt); maxRateLimitResends (0) used up');
    expect(sent).toHaveLength(4);
  });

  it('a write is bounded alike, and sent again only after the 420s', async () => {
    const { engine, sent } = fakeEngine([ALWAYS_420['quota left (the in-flight limit)'] as Reply]);
    const result = rejectionOf(engine.call(sendThing, B1, callWith({ maxRateLimitResends: 3 })));
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(RateLimitError);
    expect(sent).toHaveLength(4);
  });
});

describe('the two budgets', () => {
  it('420s use none of maxRetries, 5xx none of maxRateLimitResends; onRetry names the budget of each', async () => {
    const onRetry = vi.fn();
    const { engine, sent } = fakeEngine(
      [
        apiError(503, 'BUSY', 'x'),
        apiError(429, 'LIMIT', 'x'),
        apiError(420, 'LIMIT', 'x', quotaFromNow(0, 2_000)),
        apiError(420, 'LIMIT', 'x', quotaFromNow(3, 10_000)),
        apiError(503, 'BUSY', 'x'),
      ],
      { hooks: { onRetry } },
    );
    const result = rejectionOf(
      engine.call(getThing, B1, callWith({ maxRetries: 1, maxRateLimitResends: 3 })),
    );
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ attempts: 5 });
    expect(onRetry.mock.calls.map(([e]) => [e.attempt, e.budget, e.reason.status, e.delayMs])).toEqual([
      [1, 'retries', 503, 500],
      [2, 'rateLimitResends', 429, 500],
      [3, 'rateLimitResends', 420, 1_000],
      [4, 'rateLimitResends', 420, 13],
    ]);
    expect(offsets(sent)).toEqual([0, 500, 1_000, 2_000, 2_013]);
  });

  it('backs off a 429 without a time by its own count: 0.5 s, 1 s, 2 s', async () => {
    const { engine, sent } = fakeEngine([apiError(503, 'BUSY', 'x'), apiError(429, 'L', 'x')]);
    const result = rejectionOf(
      engine.call(getThing, B1, callWith({ maxRetries: 1, maxRateLimitResends: 3 })),
    );
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(RateLimitError);
    expect(offsets(sent)).toEqual([0, 500, 1_000, 2_000, 4_000]);
  });

  it('a call held by another call’s 420 sends its first request after the hold: no re-send', async () => {
    const onRetry = vi.fn();
    const { engine, sent } = fakeEngine(
      [
        (_request) =>
          new Promise((resolve) =>
            setTimeout(() => resolve(apiError(420, 'L', 'x', { 'Retry-After': '2' })), 10),
          ),
        thing(2),
      ],
      { hooks: { onRetry } },
    );
    const first = engine.call(getThing, B1, callWith({ maxRateLimitResends: 1 }));
    await vi.advanceTimersByTimeAsync(10);
    const held = engine.call(getThing, B1, callWith({ maxRateLimitResends: 0 }));
    await vi.runAllTimersAsync();
    await expect(held).resolves.toEqual({ id: 2 });
    await expect(first).resolves.toEqual({ id: 2 });
    expect(offsets(sent)).toEqual([0, 2_010, 2_010]);
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});
