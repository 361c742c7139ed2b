// The call loop (call-loop.ts) through two fake operations: the hand-over of a slot, the parallel limit,
// the in-flight limit it drives, and the write retry policy (a write is sent again only when the API surely did not act).
import { describe, expect, it, vi } from 'vitest';
import { apiError, rejectionOf } from '../../test-support/fake-api.ts';
import {
  callWith,
  DEFAULT_CALL,
  delayed,
  fakeEngine,
  getThing,
  hang,
  offsets,
  quota,
  refused,
  reset,
  sendThing,
  thing,
  useEngineClock,
} from '../../test-support/fake-operations.ts';
import { BadRequestError } from '../errors/bad-request-error.ts';
import { ConnectionError } from '../errors/connection-error.ts';
import { DeadlineError } from '../errors/deadline-error.ts';
import { DeliveryUnknownError } from '../errors/delivery-unknown-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { ServerError } from '../errors/server-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import { UnauthorizedError } from '../errors/unauthorized-error.ts';
import type { MarketClientHooks } from '../hooks.ts';

const B1 = { businessId: 1, id: 1 };

useEngineClock();

describe('the hand-over of a slot', () => {
  it('does not send a waiting call whose signal aborted while the slot was handed over to it', async () => {
    const controller = new AbortController();
    const reason = new Error('signed out');
    const hooks: MarketClientHooks = {
      // Runs right after the failed call released its slot to the next call, before that one resumes.
      onAttemptError: ({ error }) => {
        if (error instanceof UnauthorizedError) controller.abort(reason);
      },
    };
    const { engine, sent } = fakeEngine(
      [delayed(10, () => apiError(401, 'UNAUTHORIZED', 'bad key')), thing(2)],
      { maxInFlight: 1, hooks },
    );
    const call = callWith({ signal: controller.signal });
    const first = rejectionOf(engine.call(getThing, B1, call));
    const second = rejectionOf(engine.call(getThing, { businessId: 1, id: 2 }, call));
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.limits(1).inFlight).toEqual({ limit: 1, active: 1, waiting: 1 });
    await vi.advanceTimersByTimeAsync(10);
    expect(await first).toBeInstanceOf(UnauthorizedError);
    expect(await second).toBe(reason);
    expect(sent).toHaveLength(1);
    expect(engine.limits(1).inFlight).toEqual({ limit: 1, active: 0, waiting: 0 });
    await expect(engine.call(getThing, B1, DEFAULT_CALL)).resolves.toEqual({ id: 2 }); // the slot is free
  });

  it('does not send a waiting call whose signal aborted while it was queued (an onResponse hook)', async () => {
    const controller = new AbortController();
    const reason = new Error('signed out');
    const hooks: MarketClientHooks = {
      onResponse: ({ status }) => {
        if (status === 401) controller.abort(reason);
      },
    };
    const { engine, sent } = fakeEngine(
      [delayed(10, () => apiError(401, 'UNAUTHORIZED', 'bad key')), thing(2)],
      { maxInFlight: 1, hooks },
    );
    const call = callWith({ signal: controller.signal });
    const first = rejectionOf(engine.call(getThing, B1, call));
    const second = rejectionOf(engine.call(getThing, B1, call));
    await vi.advanceTimersByTimeAsync(10);
    expect(await first).toBeInstanceOf(UnauthorizedError);
    expect(await second).toBe(reason);
    expect(sent).toHaveLength(1);
    expect(engine.limits(1).inFlight).toEqual({ limit: 1, active: 0, waiting: 0 });
  });
});

describe('the parallel limit', () => {
  it('a 420 with quota left lowers the business in-flight limit to what else was in flight; successes raise it back', async () => {
    const { engine, sent } = fakeEngine([
      delayed(40, () => apiError(420, 'LIMIT', 'parallel', quota(30, 10_000))),
      delayed(40, () => thing(1)),
    ]);
    const burst = Array.from({ length: 4 }, () => engine.call(getThing, B1, DEFAULT_CALL));
    await vi.advanceTimersByTimeAsync(40);
    expect(engine.limits(1).inFlight.limit).toBe(3);
    expect(engine.limits(2).inFlight.limit).toBe(4);
    await vi.runAllTimersAsync();
    await Promise.all(burst);
    // With 3 of ours in flight, the rejected call waits for one of them to end (at 40 ms), not a timer.
    expect(offsets(sent)).toEqual([0, 0, 0, 0, 40]);
    // A step up needs a second of calls and 4 successes per slot (12 at a limit of 3); time without calls
    // does not count: two chains of calls keep the business busy.
    const busy = async () => {
      for (let i = 0; i < 40; i++) await engine.call(getThing, B1, DEFAULT_CALL);
    };
    const chains = Promise.all([busy(), busy()]);
    await vi.advanceTimersByTimeAsync(999);
    expect(engine.limits(1).inFlight.limit).toBe(3);
    await vi.runAllTimersAsync();
    await chains;
    expect(engine.limits(1).inFlight.limit).toBe(4);
  });

  it('a lowered limit queues calls beyond it', async () => {
    const { engine, sent } = fakeEngine([
      apiError(420, 'LIMIT', 'parallel', quota(30, 10_000)),
      delayed(40, () => thing(1)),
    ]);
    const first = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.limits(1).inFlight.limit).toBe(1);
    await vi.advanceTimersByTimeAsync(13); // the retry is in flight
    const second = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.limits(1).inFlight).toEqual({ limit: 1, active: 1, waiting: 1 });
    await vi.runAllTimersAsync();
    await Promise.all([first, second]);
    expect(offsets(sent)).toEqual([0, 13, 53]);
  });
});

describe('the in-flight limit, as the engine drives it', () => {
  it('only a parallel-limit 420 lowers it: not a success, not another failure', async () => {
    const { engine } = fakeEngine([apiError(503, 'B', 'x'), apiError(420, 'L', 'x', quota(0, 0)), thing(1)]);
    const result = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await result;
    expect(engine.limits(1).inFlight.limit).toBe(4);
  });

  it('a parallel-limit 420 with none of ours in flight waits a short while before sending again', async () => {
    const onHeld = vi.fn();
    const { engine, sent } = fakeEngine([apiError(420, 'LIMIT', 'x', quota(5, 10_000)), thing(1)], {
      hooks: { onHeld },
    });
    const result = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await result;
    expect(offsets(sent)).toEqual([0, 13]);
    expect(onHeld.mock.calls.map(([e]) => [e.reason, e.delayMs])).toEqual([['parallel-limit', 13]]);
  });

  it('with others of ours in flight, it waits for one of them to end instead, and reports no hold', async () => {
    const onHeld = vi.fn();
    const { engine, sent } = fakeEngine(
      [
        delayed(10, () => apiError(420, 'LIMIT', 'x', quota(5, 10_000))),
        delayed(40, () => thing(2)),
        delayed(40, () => thing(3)),
        delayed(40, () => thing(4)),
        thing(5),
      ],
      { hooks: { onHeld } },
    );
    const burst = Array.from({ length: 4 }, (_, i) =>
      engine.call(getThing, { businessId: 1, id: i }, DEFAULT_CALL),
    );
    await vi.runAllTimersAsync();
    await Promise.all(burst);
    // Lowered to the 3 others: the 420'd call is sent again as soon as one of them ends.
    expect(offsets(sent)).toEqual([0, 0, 0, 0, 40]);
    expect(onHeld).not.toHaveBeenCalled();
  });
});

describe('a write is sent again only when the API surely did not act', () => {
  it('after a 429 without a reset, a quota 420 and a parallel-limit 420', async () => {
    const { engine, sent } = fakeEngine([
      apiError(429, 'LIMIT', 'x'),
      apiError(420, 'LIMIT', 'quota', quota(0, 2_000)),
      apiError(420, 'LIMIT', 'parallel', quota(5, 4_000)),
      thing(1),
    ]);
    const result = engine.call(sendThing, B1, callWith({ maxRetries: 1 }));
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ id: 1 });
    expect(offsets(sent)).toEqual([0, 500, 2_000, 2_013]);
  });

  it('after a refused connection; a RateLimitError or ConnectionError when its retries are used up', async () => {
    const { engine, sent } = fakeEngine([refused(), thing(2)]);
    const result = engine.call(sendThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ id: 2 });
    expect(offsets(sent)).toEqual([0, 500]);
    const again = fakeEngine([refused()]);
    const error = await rejectionOf(again.engine.call(sendThing, B1, callWith({ maxRetries: 0 })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(DeliveryUnknownError);
    const limited = fakeEngine([apiError(420, 'LIMIT', 'x')]);
    const limitError = await rejectionOf(
      limited.engine.call(sendThing, B1, callWith({ maxRateLimitResends: 0 })),
    );
    expect(limitError).toBeInstanceOf(RateLimitError);
  });

  it.each([
    ['a timeout', hang, TimeoutError, 'sendThing: no response within 1000 ms (1 attempt)'],
    [
      'a reset connection',
      reset(),
      ConnectionError,
      'sendThing: no response from api.example.test: fetch failed (ECONNRESET) (1 attempt)',
    ],
    ['a 500', apiError(500, 'OOPS', 'x'), ServerError, 'sendThing: HTTP 500 OOPS: x (1 attempt)'],
    [
      'a 503 with Retry-After',
      apiError(503, 'BUSY', 'x', { 'Retry-After': '1' }),
      ServerError,
      'sendThing: HTTP 503 BUSY: x (1 attempt)',
    ],
  ])('after %s it is a DeliveryUnknownError, sent once', async (_, reply, CauseClass, causeMessage) => {
    const onAttemptError = vi.fn();
    const { engine, sent } = fakeEngine([reply, thing(1)], { hooks: { onAttemptError } });
    const result = rejectionOf(engine.call(sendThing, B1, callWith({ timeoutMs: 1_000 })));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(DeliveryUnknownError);
    expect(error.cause).toBeInstanceOf(CauseClass);
    expect((error.cause as Error).message).toBe(causeMessage);
    expect(error).toMatchObject({ attempts: 1 });
    expect(error.message).toBe(
      `sendThing: may or may not have been delivered (${causeMessage}); not retried so that the customer never gets it twice: check getChatHistory before sending again`,
    );
    expect(sent).toHaveLength(1);
    expect(onAttemptError.mock.calls.map(([e]) => [e.willRetry, e.error])).toEqual([[false, error]]);
  });

  it('a deadline passed while waiting for the answer is a DeliveryUnknownError too', async () => {
    const { engine, sent } = fakeEngine([hang]);
    const result = rejectionOf(engine.call(sendThing, B1, callWith({ deadlineMs: 1_000 })));
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await result;
    expect(error).toBeInstanceOf(DeliveryUnknownError);
    expect(error.cause).toBeInstanceOf(DeadlineError);
    expect(sent).toHaveLength(1);
  });

  it('a 4xx is its own error: the API did not act', async () => {
    const { engine } = fakeEngine([apiError(400, 'BAD', 'x')]);
    expect(await rejectionOf(engine.call(sendThing, B1, DEFAULT_CALL))).toBeInstanceOf(BadRequestError);
  });
});
