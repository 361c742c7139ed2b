// A call as observers see it (issue 18): one callId on every hook event of a call, a new one for every
// call in the process; onCallEnd once per call whatever the outcome, with its attempts and duration.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiError, type Reply, rejectionOf } from '../../test-support/fake-api.ts';
import { callWith, DEFAULT_CALL, fakeEngine, getThing, thing } from '../../test-support/fake-operations.ts';
import { DeadlineError } from '../errors/deadline-error.ts';
import { NotFoundError } from '../errors/not-found-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import type { CallEndEvent, MarketClientHooks } from '../hooks.ts';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const B1 = { businessId: 1, id: 1 };

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter: backoff 500, 1000 ms
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A reply that arrives `ms` after the request. */
const delayed =
  (ms: number, reply: () => Response): Reply =>
  () =>
    new Promise((resolve) => setTimeout(() => resolve(reply()), ms));

const hang: Reply = () => new Promise<Response>(() => {});

/** Every hook, each recording `[hook name, event]` in the order they fire. */
function recordingHooks() {
  const events: [string, { callId: number } & Record<string, unknown>][] = [];
  const record =
    (name: string) =>
    (event: { callId: number }): void => {
      events.push([name, event]);
    };
  const hooks: Required<MarketClientHooks> = {
    onRequest: record('onRequest'),
    onResponse: record('onResponse'),
    onAttemptError: record('onAttemptError'),
    onRetry: record('onRetry'),
    onHeld: record('onHeld'),
    onFailure: record('onFailure'),
    onDrift: record('onDrift'),
    onCallEnd: record('onCallEnd'),
  };
  return { hooks, events };
}

describe('callId', () => {
  it('is the same on every event of one call: requests, responses, attempt errors, retries, holds, the failure, the end', async () => {
    const { hooks, events } = recordingHooks();
    const parallelLimit = apiError(420, 'LIMIT', 'x', { 'X-RateLimit-Resource-Remaining': '5' });
    const { engine } = fakeEngine([parallelLimit, apiError(500, 'E', 'x'), apiError(404, 'GONE', 'y')], {
      hooks,
    });
    const result = rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(NotFoundError);
    expect(events.map(([name]) => name)).toEqual([
      'onRequest',
      'onResponse',
      'onAttemptError',
      'onRetry',
      'onHeld',
      'onRequest',
      'onResponse',
      'onAttemptError',
      'onRetry',
      'onRequest',
      'onResponse',
      'onAttemptError',
      'onFailure',
      'onCallEnd',
    ]);
    const ids = new Set(events.map(([, event]) => event.callId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toEqual(expect.any(Number));
  });

  it('is on a drift event, as on the other events of its call', async () => {
    const { hooks, events } = recordingHooks();
    const { engine } = fakeEngine([thing(1)], { hooks });
    const drifting = {
      ...getThing,
      readResult: (body: unknown, drift: (...a: [string, string, unknown]) => void) => {
        drift('result.extra', 'is not in the spec', 1);
        return getThing.readResult(body, drift);
      },
    };
    await engine.call(drifting, B1, DEFAULT_CALL);
    expect(events.map(([name]) => name)).toEqual(['onRequest', 'onResponse', 'onDrift', 'onCallEnd']);
    expect(new Set(events.map(([, event]) => event.callId)).size).toBe(1);
  });

  it('differs between calls, of one engine and of another (unique in the process), counting up', async () => {
    const { hooks, events } = recordingHooks();
    const one = fakeEngine([thing(1), thing(2)], { hooks });
    const other = fakeEngine([thing(3)], { hooks });
    await one.engine.call(getThing, B1, DEFAULT_CALL);
    await Promise.all([
      one.engine.call(getThing, B1, DEFAULT_CALL),
      other.engine.call(getThing, B1, DEFAULT_CALL),
    ]);
    const ends = events.filter(([name]) => name === 'onCallEnd').map(([, event]) => event.callId);
    expect(ends).toHaveLength(3);
    const [first, second, third] = ends as [number, number, number];
    expect(second).toBe(first + 1);
    expect(third).toBe(first + 2);
    // Every event names the call it belongs to: each request's callId is its call's end's.
    const requests = events.filter(([name]) => name === 'onRequest').map(([, event]) => event.callId);
    expect(requests.sort()).toEqual([first, second, third]);
  });
});

describe('onCallEnd', () => {
  function endsOf(script: Reply[]) {
    const onCallEnd = vi.fn<(event: CallEndEvent) => void>();
    const onFailure = vi.fn();
    const { engine, sent } = fakeEngine(script, { hooks: { onCallEnd, onFailure } });
    return { engine, sent, onCallEnd, onFailure };
  }

  it('fires once for a call that succeeds, with its attempts and its duration on the engine clock', async () => {
    const { engine, onCallEnd } = endsOf([
      delayed(40, () => apiError(502, 'E', 'x')),
      delayed(30, () => thing(7)),
    ]);
    await vi.advanceTimersByTimeAsync(1_000); // so that the clock does not start at 0
    const result = engine.call(getThing, { businessId: 3, id: 7 }, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ id: 7 });
    expect(onCallEnd.mock.calls).toEqual([
      [
        {
          callId: expect.any(Number),
          operation: 'getThing',
          businessId: 3,
          ok: true,
          durationMs: 40 + 500 + 30,
          attempts: 2,
        },
      ],
    ]);
    expect(onCallEnd.mock.calls[0]?.[0]).not.toHaveProperty('error');
  });

  it('fires before the call resolves, so that the end is known when the result is', async () => {
    const { engine, onCallEnd } = endsOf([thing(1)]);
    await engine.call(getThing, B1, DEFAULT_CALL);
    expect(onCallEnd).toHaveBeenCalledTimes(1);
  });

  it('fires once for a call that fails, with the error it rejects with, after onFailure', async () => {
    const order: string[] = [];
    const onCallEnd = vi.fn(() => order.push('onCallEnd'));
    const onFailure = vi.fn(() => order.push('onFailure'));
    const { engine } = fakeEngine([apiError(500, 'E', 'x'), apiError(404, 'GONE', 'y')], {
      hooks: { onCallEnd, onFailure },
    });
    const result = rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(order).toEqual(['onFailure', 'onCallEnd']);
    expect(onCallEnd.mock.calls).toEqual([
      [
        {
          callId: expect.any(Number),
          operation: 'getThing',
          businessId: 1,
          ok: false,
          durationMs: 500,
          attempts: 2,
          error,
        },
      ],
    ]);
  });

  it('fires once for a call past its deadline, counting the attempt that hung', async () => {
    const { engine, onCallEnd } = endsOf([hang]);
    const result = rejectionOf(engine.call(getThing, B1, callWith({ deadlineMs: 2_000 })));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(DeadlineError);
    expect(onCallEnd).toHaveBeenCalledTimes(1);
    expect(onCallEnd.mock.calls[0]?.[0]).toMatchObject({ ok: false, durationMs: 2_000, attempts: 1, error });
  });

  it('fires once for a call that ends before sending anything: an abort, a quota known to be used up', async () => {
    const quotaUsedUp = thing(1, {
      'X-RateLimit-Resource-Limit': '40',
      'X-RateLimit-Resource-Remaining': '0',
      'X-RateLimit-Resource-Until': new Date(NOW + 3_600_000).toISOString(),
    });
    const { engine, sent, onCallEnd } = endsOf([quotaUsedUp]);
    await engine.call(getThing, B1, DEFAULT_CALL);
    const reason = new Error('gone');
    const aborted = await rejectionOf(
      engine.call(getThing, B1, callWith({ signal: AbortSignal.abort(reason) })),
    );
    const held = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(aborted).toBe(reason);
    expect(held).toBeInstanceOf(RateLimitError);
    expect(sent).toHaveLength(1);
    expect(
      onCallEnd.mock.calls.map(([event]) => [event.ok, event.attempts, event.durationMs, event.error]),
    ).toEqual([
      [true, 1, 0, undefined],
      [false, 0, 0, reason],
      [false, 0, 0, held],
    ]);
    const ids = onCallEnd.mock.calls.map(([event]) => event.callId);
    expect(new Set(ids).size).toBe(3);
  });

  it('an onCallEnd that throws changes nothing for the call', async () => {
    const onCallEnd = vi.fn(() => {
      throw new Error('broken logger');
    });
    const { engine } = fakeEngine([thing(1)], { hooks: { onCallEnd } });
    await expect(engine.call(getThing, B1, DEFAULT_CALL)).resolves.toEqual({ id: 1 });
    expect(onCallEnd).toHaveBeenCalledTimes(1);
  });
});
