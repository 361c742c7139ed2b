// No attempt starts once the call's deadline has passed, whatever led to the send: a slot handed over, a
// retry wait, a quota hold, a wait that ends just at the deadline, a timer that fired late. Fake timers; a
// late timer is played by a hook that moves the clock on before the wait starts.
import { describe, expect, it, vi } from 'vitest';
import { apiError, rejectionOf, type SentRequest } from '../../test-support/fake-api.ts';
import {
  callWith,
  DEFAULT_CALL,
  fakeEngine,
  getThing,
  hang,
  ENGINE_NOW as NOW,
  sendThing,
  thing,
  useEngineClock,
} from '../../test-support/fake-operations.ts';
import { DeadlineError } from '../errors/deadline-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { ServerError } from '../errors/server-error.ts';

useEngineClock();

function offsets(sent: SentRequest[]): number[] {
  return sent.map((request) => request.at - NOW);
}

/** A hook that plays a busy event loop: the clock jumps `ms` before the wait that follows it starts. */
const lateBy = (ms: number) => () => vi.setSystemTime(Date.now() + ms);

describe('no attempt starts once the deadline has passed', () => {
  it('20 calls for one business and a hanging server: 4 requests, all before the deadline', async () => {
    const { engine, sent } = fakeEngine([hang]);
    const call = (id: number) =>
      rejectionOf(engine.call(getThing, { businessId: 1, id }, callWith({ deadlineMs: 1_500 })));
    const first = [0, 1, 2, 3].map(call);
    // The first four are sent (their attempt timers set) before the others queue, in the same millisecond:
    // their slots free up at the deadline before the queued calls' own timers fire.
    await vi.advanceTimersByTimeAsync(0);
    const queued = Array.from({ length: 16 }, (_, i) => call(4 + i));
    await vi.runAllTimersAsync();
    const errors = await Promise.all([...first, ...queued]);
    expect(offsets(sent)).toEqual([0, 0, 0, 0]);
    expect(errors.every((error) => error instanceof DeadlineError)).toBe(true);
    expect(errors.slice(4).map((error) => (error as DeadlineError).waitingFor)).toEqual(
      Array(16).fill('slot'),
    );
    expect(engine.limits(1).inFlight).toEqual({ limit: 4, active: 0, waiting: 0 });
  });

  it('a slot freed just at the deadline goes to a call that still has time, not to one whose time is up', async () => {
    const { engine, sent } = fakeEngine([hang], { maxInFlight: 1 });
    const call = (id: number, deadlineMs: number) =>
      rejectionOf(engine.call(getThing, { businessId: 1, id }, callWith({ deadlineMs })));
    const first = call(1, 1_000);
    await vi.advanceTimersByTimeAsync(0);
    const expiring = call(2, 1_000);
    const patient = call(3, 5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await first).toMatchObject({ waitingFor: 'response', attempts: 1 });
    expect(await expiring).toMatchObject({ waitingFor: 'slot', attempts: 0 });
    expect(await patient).toMatchObject({ waitingFor: 'response', attempts: 1 });
    expect(offsets(sent)).toEqual([0, 1_000]);
  });

  it('a retry wait that ends just at the deadline is not waited for', async () => {
    const { engine, sent } = fakeEngine([apiError(503, 'BUSY', 'x'), thing(1)]);
    const error = await rejectionOf(
      engine.call(getThing, { businessId: 1, id: 1 }, callWith({ deadlineMs: 500 })),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toContain(
      "the next attempt would come 500 ms from now, past the call's deadlineMs (500 ms)",
    );
    expect(sent).toHaveLength(1);
  });

  it('a quota hold that ends just at the deadline fails at once', async () => {
    const headers = {
      'X-RateLimit-Resource-Remaining': '0',
      'X-RateLimit-Resource-Until': new Date(NOW + 10_000).toISOString(),
    };
    const { engine, sent } = fakeEngine([thing(1, headers), thing(2)]);
    await engine.call(getThing, { businessId: 1, id: 1 }, DEFAULT_CALL);
    const error = await rejectionOf(
      engine.call(getThing, { businessId: 1, id: 2 }, callWith({ deadlineMs: 10_000 })),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toContain("longer than the call's deadlineMs (10000 ms)");
    expect(sent).toHaveLength(1);
  });

  it('a retry wait whose timer fires past the deadline sends nothing: DeadlineError', async () => {
    const { engine, sent } = fakeEngine([apiError(503, 'BUSY', 'x'), thing(1)], {
      hooks: { onRetry: lateBy(1_200) },
    });
    const result = rejectionOf(
      engine.call(getThing, { businessId: 1, id: 1 }, callWith({ deadlineMs: 1_500 })),
    );
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error).toMatchObject({ limitMs: 1_500, attempts: 1 });
    expect(error.message).toBe(
      'getThing: gave up before sending attempt 2: deadlineMs (1500 ms) passed (1 attempt)',
    );
    expect(sent).toHaveLength(1);
  });

  it('a timer late by just enough to end at the deadline sends nothing either', async () => {
    const { engine, sent } = fakeEngine([apiError(503, 'BUSY', 'x'), thing(1)], {
      hooks: { onRetry: lateBy(1_000) },
    });
    const result = rejectionOf(
      engine.call(getThing, { businessId: 1, id: 1 }, callWith({ deadlineMs: 1_500 })),
    );
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ waitingFor: 'send', attempts: 1 });
    expect(sent).toHaveLength(1);
  });

  it('so does a parallel-limit wait of a write, and a quota hold, whose timers fire late', async () => {
    const inFlightLimit = apiError(420, 'LIMIT', 'x', {
      'X-RateLimit-Resource-Remaining': '5',
      'X-RateLimit-Resource-Until': new Date(NOW + 60_000).toISOString(),
    });
    const write = fakeEngine([inFlightLimit, thing(1)], { hooks: { onHeld: lateBy(1_000) } });
    const written = rejectionOf(
      write.engine.call(sendThing, { businessId: 1, id: 1 }, callWith({ deadlineMs: 1_000 })),
    );
    await vi.runAllTimersAsync();
    expect(await written).toBeInstanceOf(DeadlineError);
    expect(write.sent).toHaveLength(1);

    const quotaLimit = apiError(420, 'LIMIT', 'x', { 'Retry-After': '1' });
    const read = fakeEngine([quotaLimit, thing(1)], { hooks: { onHeld: lateBy(5_000) } });
    const result = rejectionOf(
      read.engine.call(getThing, { businessId: 1, id: 1 }, callWith({ deadlineMs: 3_000 })),
    );
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(DeadlineError);
    expect(read.sent).toHaveLength(1);
  });
});
