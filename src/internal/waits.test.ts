// The waits of a call (waits.ts) through two fake operations: the delay the server asks for, and the
// call's deadline over slot waits, retry waits and attempts.
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
  refused,
  settle,
  thing,
  useEngineClock,
} from '../../test-support/fake-operations.ts';
import { ConnectionError } from '../errors/connection-error.ts';
import { DeadlineError } from '../errors/deadline-error.ts';
import { ServerError } from '../errors/server-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';

const B1 = { businessId: 1, id: 1 };

useEngineClock();

describe('a retryable error says when the server asked to come back', () => {
  it('a 503 whose Retry-After is beyond maxRetryDelayMs carries resetAt and retryAfterMs, sent once', async () => {
    const { engine, sent } = fakeEngine([apiError(503, 'BUSY', 'later', { 'Retry-After': '120' })]);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      status: 503,
      attempts: 1,
      resetAt: new Date(NOW + 120_000),
      retryAfterMs: 120_000,
    });
    expect(error.message).toBe(
      'getThing: HTTP 503 BUSY: later (1 attempt); the server asks to wait until 2026-11-25T12:02:00.000Z ' +
        '(120 s), longer than maxRetryDelayMs (60000 ms): try again after that',
    );
    expect(sent).toHaveLength(1);
  });

  it('a 503 after the last retry carries the Retry-After of the last response', async () => {
    const { engine, sent } = fakeEngine([apiError(503, 'BUSY', 'later', { 'Retry-After': '3' })]);
    const result = rejectionOf(engine.call(getThing, B1, callWith({ maxRetries: 1 })));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(offsets(sent)).toEqual([0, 3000]);
    expect(error).toMatchObject({ attempts: 2, resetAt: new Date(NOW + 6000) });
  });

  it('a Retry-After just at maxRetryDelayMs is waited for', async () => {
    const { engine, sent } = fakeEngine([apiError(503, 'B', 'x', { 'Retry-After': '2' }), thing(1)], {
      maxRetryDelayMs: 2000,
    });
    const result = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ id: 1 });
    expect(offsets(sent)).toEqual([0, 2000]);
  });
});

describe('the deadline', () => {
  it('bounds a hanging request: DeadlineError waiting for the response, not retried', async () => {
    const { engine, sent } = fakeEngine([hang]);
    const result = rejectionOf(engine.call(getThing, B1, callWith({ deadlineMs: 10_000 })));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(await Promise.race([result, 'pending'])).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const error = await result;
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error).toMatchObject({ waitingFor: 'response', limitMs: 10_000, attempts: 1 });
    expect(error.message).toBe(
      'getThing: gave up waiting for a response: deadlineMs (10000 ms) passed (1 attempt)',
    );
    await vi.runAllTimersAsync();
    expect(sent).toHaveLength(1);
  });

  it('shortens the last attempt to what is left of it', async () => {
    const { engine, sent } = fakeEngine([hang]);
    const result = rejectionOf(
      engine.call(getThing, B1, callWith({ timeoutMs: 30_000, deadlineMs: 45_000, maxRetries: 5 })),
    );
    await vi.advanceTimersByTimeAsync(45_000);
    const error = await result;
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error).toMatchObject({ waitingFor: 'response', limitMs: 45_000, attempts: 2 });
    expect(offsets(sent)).toEqual([0, 30_500]);
  });

  it('a timeout before the deadline is a TimeoutError, retried', async () => {
    const onAttemptError = vi.fn();
    const { engine, sent } = fakeEngine([hang], { hooks: { onAttemptError } });
    const result = rejectionOf(engine.call(getThing, B1, callWith({ timeoutMs: 1_000, maxRetries: 1 })));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 1_000, attempts: 2 });
    expect(error.message).toBe('getThing: no response within 1000 ms (2 attempts)');
    expect(offsets(sent)).toEqual([0, 1_500]);
    expect(onAttemptError.mock.calls.map(([e]) => [e.attempt, e.willRetry, e.error.name])).toEqual([
      [1, true, 'TimeoutError'],
      [2, false, 'TimeoutError'],
    ]);
  });

  it('bounds a wait for a slot: DeadlineError waiting for a slot, nothing sent', async () => {
    const { engine, sent } = fakeEngine([hang], { maxInFlight: 1 });
    void settle(engine.call(getThing, B1, callWith({ timeoutMs: 60_000 })));
    const result = rejectionOf(engine.call(getThing, B1, callWith({ deadlineMs: 5_000 })));
    await vi.advanceTimersByTimeAsync(5_000);
    const error = await result;
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error).toMatchObject({ waitingFor: 'slot', limitMs: 5_000, attempts: 0 });
    expect(error.message).toBe(
      'getThing: gave up waiting for an in-flight slot of the business: deadlineMs (5000 ms) passed (0 attempts)',
    );
    expect(sent).toHaveLength(1);
    expect(engine.limits(1).inFlight).toEqual({ limit: 1, active: 1, waiting: 0 });
  });

  it('a slot wait longer than maxRetryDelayMs fails with that bound', async () => {
    const { engine } = fakeEngine([hang], { maxInFlight: 1, maxRetryDelayMs: 2_000 });
    void settle(engine.call(getThing, B1, callWith({ timeoutMs: 60_000 })));
    const result = rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(await Promise.race([result, 'pending'])).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const error = await result;
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error).toMatchObject({ waitingFor: 'slot', limitMs: 2_000, attempts: 0 });
    expect(error.message).toContain('maxRetryDelayMs (2000 ms) passed (0 attempts)');
  });

  it('a slot wait counts toward the deadline of the request that follows it', async () => {
    const { engine, sent } = fakeEngine([delayed(4_000, () => thing(1)), hang], { maxInFlight: 1 });
    void engine.call(getThing, B1, DEFAULT_CALL);
    const result = rejectionOf(engine.call(getThing, B1, callWith({ deadlineMs: 10_000 })));
    await vi.advanceTimersByTimeAsync(10_000);
    const error = await result;
    expect(error).toMatchObject({ waitingFor: 'response', limitMs: 10_000, attempts: 1 });
    expect(offsets(sent)).toEqual([0, 4_000]);
  });

  it('a retry wait that would pass the deadline fails at once with the failure itself and a note', async () => {
    const { engine, sent } = fakeEngine([apiError(503, 'BUSY', 'later', { 'Retry-After': '5' })]);
    const error = await rejectionOf(engine.call(getThing, B1, callWith({ deadlineMs: 3_000 })));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toBe(
      "getThing: HTTP 503 BUSY: later (1 attempt); the next attempt would come 5000 ms from now, past the call's deadlineMs (3000 ms)",
    );
    expect(error).toMatchObject({ attempts: 1, resetAt: new Date(NOW + 5_000) });
    expect(Date.now()).toBe(NOW);
    expect(sent).toHaveLength(1);
  });

  it('so does a backoff that would pass it', async () => {
    const { engine, sent } = fakeEngine([refused()]);
    const error = await rejectionOf(engine.call(getThing, B1, callWith({ deadlineMs: 499 })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain(
      "(1 attempt); the next attempt would come 500 ms from now, past the call's deadlineMs (499 ms)",
    );
    expect(sent).toHaveLength(1);
  });

  it('so does a backoff after a timeout', async () => {
    const { engine, sent } = fakeEngine([hang]);
    const error = rejectionOf(engine.call(getThing, B1, callWith({ timeoutMs: 1_000, deadlineMs: 1_400 })));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await error).toBeInstanceOf(TimeoutError);
    expect((await error).message).toBe(
      "getThing: no response within 1000 ms (1 attempt); the next attempt would come 500 ms from now, past the call's deadlineMs (1400 ms)",
    );
    expect(sent).toHaveLength(1);
  });

  it('a backoff that ends 1 ms before the deadline is waited for', async () => {
    const { engine, sent } = fakeEngine([refused(), thing(4)]);
    const result = engine.call(getThing, B1, callWith({ deadlineMs: 501 }));
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ id: 4 });
    expect(offsets(sent)).toEqual([0, 500]);
  });
});
