// Quota holds (waits.ts, quota-book.ts as the engine drives it): per business and per operation, from
// rate-limit headers and 420s, bounded by maxRetryDelayMs and the deadline.
import { describe, expect, it, vi } from 'vitest';
import { apiError, rejectionOf } from '../../test-support/fake-api.ts';
import {
  callWith,
  DEFAULT_CALL,
  delayed,
  fakeEngine,
  getThing,
  hang,
  ENGINE_NOW as NOW,
  offsets,
  quota,
  routes,
  sendThing,
  thing,
  useEngineClock,
} from '../../test-support/fake-operations.ts';
import { DeadlineError } from '../errors/deadline-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';

const B1 = { businessId: 1, id: 1 };
const B2 = { businessId: 2, id: 2 };

useEngineClock();

describe('quota, per business and per operation', () => {
  it('a used-up quota holds further calls of that operation for that business only, until the reset', async () => {
    const onHeld = vi.fn();
    const { engine, sent } = fakeEngine([thing(1, quota(0, 10_000)), thing(2)], { hooks: { onHeld } });
    await engine.call(getThing, B1, DEFAULT_CALL);
    const held = engine.call(getThing, B1, DEFAULT_CALL);
    const otherOperation = engine.call(sendThing, B1, DEFAULT_CALL);
    const otherBusiness = engine.call(getThing, B2, DEFAULT_CALL);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(routes(sent).sort()).toEqual(['getThing 1 @0', 'getThing 2 @0', 'sendThing 1 @0']);
    await vi.advanceTimersByTimeAsync(1);
    expect(routes(sent).slice(3)).toEqual(['getThing 1 @10000']);
    await expect(Promise.all([held, otherOperation, otherBusiness])).resolves.toEqual([
      { id: 2 },
      { id: 2 },
      { id: 2 },
    ]);
    expect(onHeld.mock.calls).toEqual([
      [
        {
          callId: expect.any(Number),
          operation: 'getThing',
          businessId: 1,
          reason: 'quota',
          delayMs: 10_000,
          until: new Date(NOW + 10_000),
        },
      ],
    ]);
  });

  it('a hold longer than maxRetryDelayMs fails at once with a RateLimitError carrying resetAt, sending nothing', async () => {
    const onFailure = vi.fn();
    const onHeld = vi.fn();
    const { engine, sent } = fakeEngine([thing(1, quota(0, 120_000))], { hooks: { onFailure, onHeld } });
    await engine.call(getThing, B1, DEFAULT_CALL);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({
      status: 420,
      attempts: 0,
      errors: [],
      resetAt: new Date(NOW + 120_000),
      retryAfterMs: 120_000,
      rateLimit: { businessId: 1, limit: 40, remaining: 0, resetAt: new Date(NOW + 120_000) },
    });
    expect(error.message).toBe(
      'getThing: not sent: its quota for business 1 is used up until 2026-11-25T12:02:00.000Z (120 s, as an ' +
        'earlier response said), longer than maxRetryDelayMs (60000 ms): try again after that (0 attempts)',
    );
    expect(sent).toHaveLength(1);
    expect(onHeld).not.toHaveBeenCalled();
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure.mock.calls[0]?.[0]).toMatchObject({
      operation: 'getThing',
      businessId: 1,
      attempts: 0,
      error,
    });
  });

  it('a hold past the call deadline fails at once, saying so', async () => {
    const { engine, sent } = fakeEngine([thing(1, quota(0, 10_000))], { maxRetryDelayMs: 10_000 });
    await engine.call(getThing, B1, DEFAULT_CALL);
    const error = await rejectionOf(engine.call(getThing, B1, callWith({ deadlineMs: 9_999 })));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toContain(
      "(10 s, as an earlier response said), longer than the call's deadlineMs (9999 ms)",
    );
    expect(error).toMatchObject({ attempts: 0, resetAt: new Date(NOW + 10_000) });
    expect(sent).toHaveLength(1);
  });

  it('a hold that ends just at maxRetryDelayMs, or 1 ms before the deadline, is waited for', async () => {
    const { engine, sent } = fakeEngine([thing(1, quota(0, 10_000)), thing(2)], { maxRetryDelayMs: 10_000 });
    await engine.call(getThing, B1, DEFAULT_CALL);
    const result = engine.call(getThing, B1, callWith({ deadlineMs: 10_001 }));
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(result).resolves.toEqual({ id: 2 });
    expect(offsets(sent)).toEqual([0, 10_000]);
  });

  it('quota holds and parallel-limit 420s use none of maxRetries: each re-send uses maxRateLimitResends', async () => {
    const onRetry = vi.fn();
    const onHeld = vi.fn();
    const onAttemptError = vi.fn();
    const { engine, sent } = fakeEngine(
      [
        apiError(420, 'LIMIT', 'quota', quota(0, 2_000)),
        apiError(420, 'LIMIT', 'parallel', quota(3, 4_000)),
        apiError(420, 'LIMIT', 'quota again', quota(0, 4_000)),
        thing(7),
      ],
      { hooks: { onRetry, onHeld, onAttemptError } },
    );
    const result = engine.call(getThing, B1, callWith({ maxRetries: 0 }));
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ id: 7 });
    expect(offsets(sent)).toEqual([0, 2_000, 2_013, 4_000]);
    expect(onRetry.mock.calls.map(([event]) => [event.attempt, event.budget, event.delayMs])).toEqual([
      [1, 'rateLimitResends', 2_000],
      [2, 'rateLimitResends', 13],
      [3, 'rateLimitResends', 1_987],
    ]);
    expect(
      onHeld.mock.calls.map(([event]) => [event.reason, event.delayMs, event.until.getTime() - NOW]),
    ).toEqual([
      ['quota', 2_000, 2_000],
      ['parallel-limit', 13, 2_013],
      ['quota', 1_987, 4_000],
    ]);
    expect(onAttemptError.mock.calls.map(([event]) => [event.attempt, event.willRetry])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    expect(onAttemptError.mock.calls[0]?.[0].error).toBeInstanceOf(RateLimitError);
  });

  it('a quota 420 holds the other calls of the operation too', async () => {
    const { engine, sent } = fakeEngine([
      delayed(10, () => apiError(420, 'LIMIT', 'q', quota(0, 2_000))),
      thing(1),
    ]);
    const first = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.advanceTimersByTimeAsync(10);
    const second = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await Promise.all([first, second]);
    expect(offsets(sent)).toEqual([0, 2_000, 2_000]);
  });

  it('a 420 with a Retry-After but no rate-limit headers holds the operation until then', async () => {
    const { engine, sent } = fakeEngine([
      delayed(10, () => apiError(420, 'LIMIT', 'q', { 'Retry-After': '3' })),
      thing(1),
    ]);
    const first = engine.call(getThing, B1, callWith({ maxRetries: 0 }));
    await vi.advanceTimersByTimeAsync(10);
    const second = engine.call(getThing, B1, DEFAULT_CALL);
    const other = engine.call(sendThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await Promise.all([first, second, other]);
    expect(routes(sent)).toEqual([
      'getThing 1 @0',
      'sendThing 1 @10',
      'getThing 1 @3010',
      'getThing 1 @3010',
    ]);
    expect(engine.limits(1).quotas).toEqual({}); // a Retry-After alone says nothing of the quota
  });

  it('a call held for quota leaves the slot queue: calls of other operations of the business go meanwhile', async () => {
    const { engine, sent } = fakeEngine([thing(1, quota(0, 10_000)), delayed(40, () => thing(2))]);
    await engine.call(getThing, B1, DEFAULT_CALL);
    const held = Array.from({ length: 4 }, () => engine.call(getThing, B1, DEFAULT_CALL));
    const others = Array.from({ length: 4 }, () => engine.call(sendThing, B1, DEFAULT_CALL));
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.limits(1).inFlight).toEqual({ limit: 4, active: 4, waiting: 0 });
    await vi.advanceTimersByTimeAsync(40);
    await Promise.all(others);
    expect(offsets(sent)).toEqual([0, 0, 0, 0, 0]);
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(held);
    expect(routes(sent).slice(5)).toEqual(Array(4).fill('getThing 1 @10000'));
  });

  it('a call that finds the quota used up when it gets its slot is held and lets the next call go', async () => {
    const { engine, sent } = fakeEngine(
      [delayed(40, () => thing(1, quota(0, 5_000))), delayed(40, () => thing(2))],
      {
        maxInFlight: 1,
      },
    );
    const first = engine.call(getThing, B1, DEFAULT_CALL);
    const second = engine.call(getThing, B1, DEFAULT_CALL);
    const third = engine.call(sendThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await Promise.all([first, second, third]);
    expect(routes(sent)).toEqual(['getThing 1 @0', 'sendThing 1 @40', 'getThing 1 @5000']);
  });

  it('counts its own requests against Remaining: with 2 left, 2 of 4 calls go and 2 wait for the reset', async () => {
    const onHeld = vi.fn();
    const { engine, sent } = fakeEngine(
      [
        thing(0, quota(2, 10_000)),
        delayed(40, () => thing(1, quota(1, 10_000))),
        delayed(40, () => thing(2, quota(0, 10_000))),
        thing(3, quota(39, 12_000)),
      ],
      { hooks: { onHeld } },
    );
    await engine.call(getThing, B1, DEFAULT_CALL);
    const calls = Array.from({ length: 4 }, () => engine.call(getThing, B1, DEFAULT_CALL));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(offsets(sent)).toEqual([0, 0, 0]);
    await vi.runAllTimersAsync();
    await expect(Promise.all(calls)).resolves.toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 3 }]);
    expect(offsets(sent)).toEqual([0, 0, 0, 10_000, 10_000]);
    // The two left wait for the answers in flight (40 ms), which say none is left: then for the reset.
    expect(onHeld.mock.calls.map(([event]) => [event.reason, event.delayMs])).toEqual([
      ['quota', 9_960],
      ['quota', 9_960],
    ]);
  });

  it('a wait for the answers in flight is bounded by the call deadline, sending nothing', async () => {
    const { engine, sent } = fakeEngine([thing(0, quota(1, 60_000)), hang]);
    await engine.call(getThing, B1, DEFAULT_CALL);
    const hanging = rejectionOf(engine.call(getThing, B1, callWith({ timeoutMs: 30_000, maxRetries: 0 })));
    await vi.advanceTimersByTimeAsync(0);
    // One call left and one request in flight: only its answer can tell whether the last call is used.
    const result = rejectionOf(engine.call(getThing, B1, callWith({ deadlineMs: 2_000 })));
    await vi.advanceTimersByTimeAsync(2_000);
    const error = await result;
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error).toMatchObject({ waitingFor: 'quota', limitMs: 2_000, attempts: 0 });
    expect(error.message).toBe(
      'getThing: gave up waiting for the answers that tell whether the quota of the business has calls left: deadlineMs (2000 ms) passed (0 attempts)',
    );
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(28_000);
    expect(await hanging).toBeInstanceOf(TimeoutError);
    expect(sent).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a wait for the answers in flight is bounded by maxRetryDelayMs, and ends at the answer', async () => {
    const { engine, sent } = fakeEngine([thing(0, quota(1, 60_000)), hang, thing(2)], {
      maxRetryDelayMs: 3_000,
    });
    await engine.call(getThing, B1, DEFAULT_CALL);
    void rejectionOf(engine.call(getThing, B1, callWith({ timeoutMs: 5_000, maxRetries: 0 })));
    await vi.advanceTimersByTimeAsync(0);
    const tooLong = rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await tooLong).toMatchObject({ waitingFor: 'quota', limitMs: 3_000, attempts: 0 });
    const answered = engine.call(getThing, B1, DEFAULT_CALL); // the timeout at 5 s answers (no quota used)
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(answered).resolves.toEqual({ id: 2 });
    expect(offsets(sent)).toEqual([0, 0, 5_000]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a wait for the answers in flight ends at an abort, with its reason', async () => {
    const { engine, sent } = fakeEngine([thing(0, quota(1, 60_000)), hang]);
    await engine.call(getThing, B1, DEFAULT_CALL);
    void rejectionOf(engine.call(getThing, B1, callWith({ timeoutMs: 5_000, maxRetries: 0 })));
    await vi.advanceTimersByTimeAsync(0);
    const controller = new AbortController();
    const result = rejectionOf(engine.call(getThing, B1, callWith({ signal: controller.signal })));
    await vi.advanceTimersByTimeAsync(100);
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await result).toBe(reason);
    expect(sent).toHaveLength(2);
  });

  it('still counts a request in flight when an earlier one is answered', async () => {
    const { engine, sent } = fakeEngine([
      thing(0, quota(2, 10_000)),
      delayed(40, () => thing(1, quota(1, 10_000))),
      delayed(80, () => thing(2, quota(0, 10_000))),
      thing(3, quota(39, 12_000)),
    ]);
    await engine.call(getThing, B1, DEFAULT_CALL);
    const first = engine.call(getThing, B1, DEFAULT_CALL);
    const second = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.advanceTimersByTimeAsync(50); // the first answered (1 left), the second still in flight
    const third = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await Promise.all([first, second, third]);
    expect(offsets(sent)).toEqual([0, 0, 0, 10_000]);
  });

  it.each([
    ['a stale response (more Remaining, same window) does not undo a lower one', quota(5, 10_000), 0, 10_000],
    ['a response of a later window replaces a used-up one', quota(39, 12_000), 39, 80],
  ])('%s', async (_, lateHeaders, remaining, nextAt) => {
    const { engine, sent } = fakeEngine([
      delayed(80, () => thing(1, lateHeaders)),
      delayed(40, () => thing(2, quota(0, 10_000))),
      thing(3),
    ]);
    const calls = [engine.call(getThing, B1, DEFAULT_CALL), engine.call(getThing, B1, DEFAULT_CALL)];
    await vi.advanceTimersByTimeAsync(80);
    await Promise.all(calls);
    expect(engine.limits(1).quotas.getThing?.remaining).toBe(remaining);
    // The last response, whatever it said.
    expect(engine.lastRateLimit?.remaining).toBe(Number(lateHeaders['X-RateLimit-Resource-Remaining']));
    const next = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await next;
    expect(offsets(sent)).toEqual([0, 0, nextAt]);
  });

  it('shows each operation quota per business, and the in-flight slots', async () => {
    const { engine } = fakeEngine([thing(1, quota(7, 10_000)), thing(2, quota(3, 20_000))]);
    expect(engine.limits(1)).toEqual({ inFlight: { limit: 4, active: 0, waiting: 0 }, quotas: {} });
    await engine.call(getThing, B1, DEFAULT_CALL);
    await engine.call(sendThing, B1, DEFAULT_CALL);
    expect(engine.limits(1)).toEqual({
      inFlight: { limit: 4, active: 0, waiting: 0 },
      quotas: {
        getThing: { businessId: 1, limit: 40, remaining: 7, resetAt: new Date(NOW + 10_000) },
        sendThing: { businessId: 1, limit: 40, remaining: 3, resetAt: new Date(NOW + 20_000) },
      },
    });
    expect(engine.limits(2)).toStrictEqual({ inFlight: { limit: 4, active: 0, waiting: 0 }, quotas: {} });
    expect(engine.lastRateLimit).toEqual({
      businessId: 1,
      limit: 40,
      remaining: 3,
      resetAt: new Date(NOW + 20_000),
    });
  });
});
