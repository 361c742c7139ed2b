// The request engine through two fake operations (a safe read, a write): slots, quota holds, the parallel
// limit, deadlines, the body cap, fetch failures, hooks and the write retry policy, with fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BadRequestError } from '../errors/bad-request-error.ts';
import { ConnectionError } from '../errors/connection-error.ts';
import { DeadlineError } from '../errors/deadline-error.ts';
import { DeliveryUnknownError } from '../errors/delivery-unknown-error.ts';
import { FetchError } from '../errors/fetch-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { ServerError } from '../errors/server-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import { UnauthorizedError } from '../errors/unauthorized-error.ts';
import { UnexpectedResponseError } from '../errors/unexpected-response-error.ts';
import type { MarketClientHooks } from '../hooks.ts';
import { apiError, json, type Reply, rejectionOf, type SentRequest } from '../test-support/fake-api.ts';
import {
  DEFAULT_CALL,
  fakeEngine,
  getThing,
  routeOf,
  sendThing,
  thing,
} from '../test-support/fake-operations.ts';
import type { CallSettings, EngineSettings } from './engine.ts';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const B1 = { businessId: 1, id: 1 };
const B2 = { businessId: 2, id: 2 };

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter: backoff 500, 1000 ms; parallel-limit waits 13, 25 ms
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Rate-limit headers: `remaining` calls left in a window that ends `untilMs` from NOW. */
function quota(remaining: number, untilMs: number): Record<string, string> {
  return {
    'X-RateLimit-Resource-Limit': '40',
    'X-RateLimit-Resource-Remaining': String(remaining),
    'X-RateLimit-Resource-Until': new Date(NOW + untilMs).toISOString(),
  };
}

/** A reply that arrives `ms` after the request. */
function delayed(ms: number, reply: () => Response): Reply {
  return () => new Promise((resolve) => setTimeout(() => resolve(reply()), ms));
}

const hang: Reply = () => new Promise<Response>(() => {});

function offsets(sent: SentRequest[]): number[] {
  return sent.map((request) => request.at - NOW);
}

function routes(sent: SentRequest[]): string[] {
  return sent.map((request) => {
    const { operation, businessId } = routeOf(request);
    return `${operation} ${businessId} @${request.at - NOW}`;
  });
}

function settle<T>(promise: Promise<T>) {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

const callWith = (overrides: Partial<CallSettings>): CallSettings => ({ ...DEFAULT_CALL, ...overrides });

function refused(): Error {
  const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
  return new TypeError('fetch failed', { cause });
}

function reset(): Error {
  const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  return new TypeError('fetch failed', { cause });
}

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

describe('a 200 that breaks the contract', () => {
  it('keeps the errors of a body that says status ERROR without a result, in the error and its message', async () => {
    const body = {
      status: 'ERROR',
      errors: [{ code: 'THING_GONE', message: 'no such thing' }, { code: 'AGAIN' }],
    };
    const { engine, sent } = fakeEngine([json(200, body)]);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error).toMatchObject({
      status: 200,
      code: 'THING_GONE',
      errors: [{ code: 'THING_GONE', message: 'no such thing' }, { code: 'AGAIN' }],
    });
    expect(error.message).toBe(
      'getThing: HTTP 200 body has no result.id; it says status ERROR: THING_GONE: no such thing; AGAIN',
    );
    expect(sent).toHaveLength(1);
  });

  it('reads no errors from a body that does not say status ERROR', async () => {
    const { engine } = fakeEngine([json(200, { status: 'OK', errors: [{ code: 'X' }] })]);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toMatchObject({ errors: [], code: undefined });
    expect(error.message).toBe('getThing: HTTP 200 body has no result.id');
  });

  it('says so for a 200 that says ERROR without any usable error', async () => {
    const { engine } = fakeEngine([json(200, { status: 'ERROR', errors: [{ message: 'no code' }] })]);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toMatchObject({ errors: [], code: undefined });
    expect(error.message).toBe('getThing: HTTP 200 body has no result.id');
  });

  it.each([
    [300, 'HTTP 300 redirect (no Location) not followed'],
    [399, 'HTTP 399 redirect (no Location) not followed'],
  ])('HTTP %i is a redirect that is not followed, sent once', async (status, message) => {
    const { engine, sent } = fakeEngine([new Response(null, { status })]);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe(
      `getThing: ${message}: the client never sends its credential to another address; check baseUrl`,
    );
    expect(error).toMatchObject({ status });
    expect(sent).toHaveLength(1);
  });

  it('a 2xx other than 200 is read as a result', async () => {
    const { engine } = fakeEngine([json(299, { result: { id: 5 } })]);
    await expect(engine.call(getThing, B1, DEFAULT_CALL)).resolves.toEqual({ id: 5 });
  });

  it('a 200 with Content-Length: 0 is an empty body', async () => {
    const empty = new Response('', { status: 200, headers: { 'Content-Length': '0' } });
    const { engine, sent } = fakeEngine([empty]);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe('getThing: HTTP 200 with an empty body; expected JSON');
    expect(sent).toHaveLength(1);
  });

  it('an error status with Content-Length: 0 names the empty body', async () => {
    const empty = new Response('', { status: 400, headers: { 'Content-Length': '0' } });
    const { engine } = fakeEngine([empty]);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toBe('getThing: HTTP 400 empty body (1 attempt)');
  });
});

describe('a fetch that breaks its contract', () => {
  function brokenFetch(fetch: (request: Request) => unknown) {
    const spy = vi.fn(fetch);
    const { engine } = fakeEngine([], { fetch: spy as unknown as EngineSettings['fetch'] });
    return { engine, spy };
  }

  it.each([
    ['undefined', () => Promise.resolve(undefined), 'undefined'],
    ['null', () => Promise.resolve(null), 'object'],
    ['a plain object', () => Promise.resolve({ status: 200 }), 'object'],
    ['headers without get', () => Promise.resolve({ status: 200, text: () => '', headers: {} }), 'object'],
    ['no headers', () => Promise.resolve({ status: 200, text: () => '' }), 'object'],
    ['no text', () => Promise.resolve({ status: 200, headers: new Headers() }), 'object'],
    [
      'a string status',
      () => Promise.resolve({ status: '200', text: () => '', headers: new Headers() }),
      'object',
    ],
  ])('resolving to %s is a FetchError, not retried', async (_, fetch, type) => {
    const { engine, spy } = brokenFetch(fetch);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toBeInstanceOf(FetchError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(
      `getThing: the injected fetch resolved to ${type} instead of a Response (1 attempt)`,
    );
    expect(error).toMatchObject({ attempts: 1 });
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('keeps what it resolved to as the cause', async () => {
    const value = { status: 200 };
    const { engine } = brokenFetch(() => Promise.resolve(value));
    expect((await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL))).cause).toBe(value);
  });

  it('throwing synchronously is a FetchError with the thrown error as cause, not retried', async () => {
    const thrown = new Error('proxy misconfigured');
    const { engine, spy } = brokenFetch(() => {
      throw thrown;
    });
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toBeInstanceOf(FetchError);
    expect(error.message).toBe('getThing: the injected fetch threw synchronously (1 attempt)');
    expect(error.cause).toBe(thrown);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('a Response by shape (another copy of undici) is accepted', async () => {
    const { engine } = brokenFetch(() => {
      const real = json(200, { result: { id: 9 } });
      return Promise.resolve({
        status: real.status,
        statusText: real.statusText,
        ok: real.ok,
        headers: real.headers,
        body: real.body,
        text: () => real.text(),
      });
    });
    await expect(engine.call(getThing, B1, DEFAULT_CALL)).resolves.toEqual({ id: 9 });
  });

  it('a rejection without a known code is a ConnectionError, retried', async () => {
    const { engine, sent } = fakeEngine([new Error('socket hang up'), thing(3)]);
    const result = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ id: 3 });
    expect(offsets(sent)).toEqual([0, 500]);
  });

  it('a refused connection of a safe operation is retried and counted, then a ConnectionError', async () => {
    const { engine, sent } = fakeEngine([refused()]);
    const result = rejectionOf(engine.call(getThing, B1, callWith({ maxRetries: 1 })));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(
      'getThing: no response from api.example.test: fetch failed (ECONNREFUSED) (2 attempts)',
    );
    expect(offsets(sent)).toEqual([0, 500]);
  });
});

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

describe('the body cap', () => {
  const capped = { maxResponseBytes: 100 };

  it.each([
    [200, json(200, { result: { id: 1 }, pad: 'x'.repeat(200) })],
    [503, json(503, { errors: [{ code: 'BUSY', message: 'x'.repeat(200) }] })],
  ])('refuses an HTTP %i whose Content-Length is over it, not retried', async (status, response) => {
    const length = String((await response.clone().text()).length);
    const big = new Response(response.body, { status, headers: { 'Content-Length': length } });
    const { engine, sent } = fakeEngine([big], capped);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe(
      `getThing: HTTP ${status} body the body is larger than maxResponseBytes (100 bytes)`,
    );
    expect(error).toMatchObject({ status });
    expect(sent).toHaveLength(1);
  });

  it('refuses a body without Content-Length that grows past it', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode(' '.repeat(60)));
      },
    });
    const { engine, sent } = fakeEngine([new Response(chunks, { status: 200 })], capped);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe(
      'getThing: HTTP 200 body the body is larger than maxResponseBytes (100 bytes)',
    );
    expect(sent).toHaveLength(1);
  });

  it('reads a body just at it, with or without Content-Length', async () => {
    const body = JSON.stringify({ result: { id: 3 }, pad: '' }).padEnd(100, ' ');
    const withLength = new Response(body, { headers: { 'Content-Length': '100' } });
    const { engine } = fakeEngine([withLength, new Response(body)], capped);
    await expect(engine.call(getThing, B1, DEFAULT_CALL)).resolves.toEqual({ id: 3 });
    await expect(engine.call(getThing, B1, DEFAULT_CALL)).resolves.toEqual({ id: 3 });
  });
});

describe('hooks', () => {
  it('onAttemptError sees every failed attempt with willRetry; onRetry each counted retry; onFailure the end', async () => {
    const onAttemptError = vi.fn();
    const onRetry = vi.fn();
    const onFailure = vi.fn();
    const { engine } = fakeEngine([reset(), apiError(500, 'OOPS', 'x'), apiError(404, 'GONE', 'y')], {
      hooks: { onAttemptError, onRetry, onFailure },
    });
    const result = rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(
      onAttemptError.mock.calls.map(([e]) => [
        e.operation,
        e.businessId,
        e.attempt,
        e.error.name,
        e.willRetry,
      ]),
    ).toEqual([
      ['getThing', 1, 1, 'ConnectionError', true],
      ['getThing', 1, 2, 'ServerError', true],
      ['getThing', 1, 3, 'NotFoundError', false],
    ]);
    expect(onAttemptError.mock.calls[2]?.[0].error).toBe(error);
    expect(onRetry.mock.calls.map(([e]) => [e.attempt, e.delayMs, e.reason.name])).toEqual([
      [1, 500, 'ConnectionError'],
      [2, 1_000, 'ServerError'],
    ]);
    expect(onFailure.mock.calls).toEqual([
      [{ callId: expect.any(Number), operation: 'getThing', businessId: 1, attempts: 3, error }],
    ]);
  });

  it('the last attempt of retries used up is reported with willRetry false, once to onFailure', async () => {
    const onAttemptError = vi.fn();
    const onFailure = vi.fn();
    const { engine } = fakeEngine([hang], { hooks: { onAttemptError, onFailure } });
    const result = rejectionOf(engine.call(getThing, B1, callWith({ timeoutMs: 100, maxRetries: 1 })));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(onAttemptError.mock.calls.map(([e]) => [e.attempt, e.willRetry])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(onAttemptError.mock.calls[1]?.[0].error).toBe(error);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure.mock.calls[0]?.[0]).toMatchObject({ attempts: 2, error });
  });

  it('an attempt whose wait is not allowed is reported with willRetry false and the error thrown', async () => {
    const onAttemptError = vi.fn();
    const onRetry = vi.fn();
    const { engine } = fakeEngine([apiError(503, 'BUSY', 'x', { 'Retry-After': '120' })], {
      hooks: { onAttemptError, onRetry },
    });
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(onAttemptError).toHaveBeenCalledTimes(1);
    expect(onAttemptError.mock.calls[0]?.[0]).toMatchObject({ attempt: 1, willRetry: false, error });
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('onFailure gets the signal reason of an aborted call, with the requests sent', async () => {
    const onFailure = vi.fn();
    const { engine } = fakeEngine([hang], { hooks: { onFailure } });
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const result = rejectionOf(engine.call(getThing, B1, callWith({ signal: controller.signal })));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(reason);
    expect(await result).toBe(reason);
    expect(onFailure.mock.calls).toEqual([
      [{ callId: expect.any(Number), operation: 'getThing', businessId: 1, attempts: 1, error: reason }],
    ]);
  });

  it('onFailure sees a call whose signal had already aborted, nothing sent', async () => {
    const onFailure = vi.fn();
    const { engine, sent } = fakeEngine([thing(1)], { hooks: { onFailure } });
    const reason = new Error('gone');
    const error = await rejectionOf(
      engine.call(getThing, B1, callWith({ signal: AbortSignal.abort(reason) })),
    );
    expect(error).toBe(reason);
    expect(sent).toHaveLength(0);
    expect(onFailure.mock.calls).toEqual([
      [{ callId: expect.any(Number), operation: 'getThing', businessId: 1, attempts: 0, error: reason }],
    ]);
  });

  it('no failure hook fires for a call that succeeds after retries', async () => {
    const onFailure = vi.fn();
    const onAttemptError = vi.fn();
    const { engine } = fakeEngine([apiError(502, 'E', 'x'), thing(1)], {
      hooks: { onFailure, onAttemptError },
    });
    const result = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await result;
    expect(onFailure).not.toHaveBeenCalled();
    expect(onAttemptError).toHaveBeenCalledTimes(1);
  });

  it('onRequest and onResponse name the operation, business and attempt', async () => {
    const onRequest = vi.fn();
    const onResponse = vi.fn();
    const { engine } = fakeEngine([delayed(40, () => apiError(500, 'E', 'x'))], {
      hooks: { onRequest, onResponse },
    });
    await vi.advanceTimersByTimeAsync(1_000); // so that the clock does not start at 0
    const result = rejectionOf(engine.call(sendThing, { businessId: 5, id: 1 }, DEFAULT_CALL));
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(DeliveryUnknownError);
    expect(onRequest.mock.calls[0]?.[0]).toMatchObject({
      operation: 'sendThing',
      businessId: 5,
      attempt: 1,
      method: 'POST',
      url: `https://api.example.test/v2/businesses/5/things/send`,
      headers: { 'api-key': '[REDACTED]' },
    });
    expect(onResponse.mock.calls[0]?.[0]).toMatchObject({
      operation: 'sendThing',
      businessId: 5,
      attempt: 1,
      status: 500,
      durationMs: 40,
      headers: { 'content-type': 'application/json' },
    });
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

describe('the signal of a call that ends normally', () => {
  it('leaves no timer and no subscription behind after a retry wait', async () => {
    const controller = new AbortController();
    const onFailure = vi.fn();
    const { engine, sent } = fakeEngine([apiError(503, 'B', 'x'), thing(1)], { hooks: { onFailure } });
    const result = engine.call(getThing, B1, callWith({ signal: controller.signal }));
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ id: 1 });
    expect(vi.getTimerCount()).toBe(0);
    const clear = vi.spyOn(globalThis, 'clearTimeout');
    controller.abort();
    expect(clear).not.toHaveBeenCalled(); // no sleep, attempt or slot wait is still listening
    expect(onFailure).not.toHaveBeenCalled();
    expect(sent).toHaveLength(2);
  });
});

describe('what a failure means', () => {
  /** A 200 whose body breaks off after its first bytes with `error`. */
  function brokenBody(error: Error): Response {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"status":"OK",'));
        controller.error(error);
      },
    });
    return new Response(body, { status: 200 });
  }

  it('a body that breaks off is a lost connection, retried for a safe operation', async () => {
    const { engine, sent } = fakeEngine([brokenBody(new TypeError('terminated')), thing(1)]);
    const result = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ id: 1 });
    expect(offsets(sent)).toEqual([0, 500]);
    const once = fakeEngine([brokenBody(new TypeError('terminated'))]);
    const error = await rejectionOf(once.engine.call(getThing, B1, callWith({ maxRetries: 0 })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(
      'getThing: the connection broke while reading the HTTP 200 body from api.example.test: terminated (1 attempt)',
    );
  });

  it('a write whose answer broke off may have been delivered, whatever the code of the break', async () => {
    const cause = Object.assign(new Error('odd'), { code: 'ECONNREFUSED' });
    const { engine, sent } = fakeEngine([brokenBody(new TypeError('terminated', { cause })), thing(1)]);
    const result = rejectionOf(engine.call(sendThing, B1, DEFAULT_CALL));
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(DeliveryUnknownError);
    expect(sent).toHaveLength(1);
  });

  it('a URL that fetch refuses (bad port) is a FetchError naming baseUrl, not retried', async () => {
    const { engine, sent } = fakeEngine([new TypeError('fetch failed', { cause: new Error('bad port') })]);
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(error).toBeInstanceOf(FetchError);
    expect(error.message).toBe(
      'getThing: fetch refused https://api.example.test: fetch failed (bad port); check baseUrl (1 attempt)',
    );
    expect(error).toMatchObject({ attempts: 1 });
    expect(sent).toHaveLength(1);
  });

  it('a Retry-After of 0 backs off as if none were given', async () => {
    const { engine, sent } = fakeEngine([apiError(503, 'B', 'x', { 'Retry-After': '0' }), thing(1)]);
    const result = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await result;
    expect(offsets(sent)).toEqual([0, 500]);
  });

  it('a 420 whose Retry-After has passed is a rate limit that backs off, not a quota hold', async () => {
    const onRetry = vi.fn();
    const { engine, sent } = fakeEngine([apiError(420, 'LIMIT', 'x', { 'Retry-After': '0' })], {
      hooks: { onRetry },
    });
    const error = await rejectionOf(engine.call(getThing, B1, callWith({ maxRateLimitResends: 0 })));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(sent).toHaveLength(1);
    const again = fakeEngine([apiError(420, 'LIMIT', 'x', { 'Retry-After': '0' }), thing(1)], {
      hooks: { onRetry },
    });
    const result = again.engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await result;
    expect(offsets(again.sent)).toEqual([0, 500]);
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('an injected fetch gets the attempt signal on its Request, aborted at the timeout', async () => {
    const seen: boolean[] = [];
    const fetch = (request: Request) =>
      new Promise<Response>((_, reject) => {
        request.signal.addEventListener('abort', () => {
          seen.push(request.signal.aborted);
          reject(request.signal.reason);
        });
      });
    const { engine } = fakeEngine([], { fetch });
    const result = rejectionOf(engine.call(getThing, B1, callWith({ timeoutMs: 1_000, maxRetries: 0 })));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await result).toBeInstanceOf(TimeoutError);
    expect(seen).toEqual([true]);
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

describe('how a response body reads', () => {
  async function failureOf(response: Response) {
    const { engine } = fakeEngine([response]);
    return rejectionOf(engine.call(getThing, B1, callWith({ maxRetries: 0 })));
  }

  /** A body without a Content-Type (a string body would get text/plain). */
  const bytes = (text: string, status: number) => new Response(new TextEncoder().encode(text), { status });

  it('a 200 of whitespace only is an empty body', async () => {
    expect((await failureOf(new Response(' \n\t ', { status: 200 }))).message).toBe(
      'getThing: HTTP 200 with an empty body; expected JSON',
    );
  });

  it('a 200 of JSON null is a body without the result', async () => {
    const error = await failureOf(new Response('null', { status: 200 }));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe('getThing: HTTP 200 body has no result.id');
    expect(error).toMatchObject({ errors: [], code: undefined });
  });

  it('a redirect carries no errors', async () => {
    expect(await failureOf(new Response(null, { status: 301 }))).toMatchObject({
      errors: [],
      code: undefined,
    });
  });

  it.each([
    ['an empty body', new Response(null, { status: 400 }), 'empty body'],
    ['JSON null', new Response('null', { status: 400 }), 'no error details in the body: null'],
    ['a JSON number', new Response('5', { status: 400 }), 'no error details in the body: 5'],
    ['no errors list', json(400, { errors: 'none' }), 'no error details in the body: {"errors":"none"}'],
    [
      'text',
      new Response('oops', { status: 400, headers: { 'Content-Type': 'text/plain' } }),
      'body is not JSON (text/plain): "oops"',
    ],
  ])('an error status with %s has no errors and says so', async (_, response, problem) => {
    const error = await failureOf(response);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ errors: [], code: undefined });
    expect(error.message).toBe(`getThing: HTTP 400 ${problem} (1 attempt)`);
  });

  it('keeps only the errors with a string code, and a message only when it is a string', async () => {
    const body = {
      errors: [
        { code: 'A', message: 'one' },
        { code: 'B', message: 7 },
        { message: 'no code' },
        null,
        { code: 3 },
      ],
    };
    const error = await failureOf(json(400, body));
    expect((error as BadRequestError).errors).toStrictEqual([{ code: 'A', message: 'one' }, { code: 'B' }]);
    expect(error.message).toBe('getThing: HTTP 400 A: one; B (1 attempt)');
  });

  it('names a missing Content-Type and shows a non-JSON body on one line, cut after 120 characters', async () => {
    const error = await failureOf(bytes('\n  <html>\n\n   oops  \n', 400));
    expect(error.message).toBe(
      'getThing: HTTP 400 body is not JSON (no Content-Type): "<html> oops" (1 attempt)',
    );
    const exact = 'x'.repeat(120);
    expect((await failureOf(bytes(exact, 400))).message).toContain(`"${exact}"`);
    const long = `${'y'.repeat(120)}z`;
    expect((await failureOf(bytes(long, 400))).message).toContain(`"${'y'.repeat(120)}..."`);
    const ok200 = await failureOf(bytes(long, 200));
    expect(ok200.message).toBe(
      `getThing: HTTP 200 with a body that is not JSON (no Content-Type): "${'y'.repeat(120)}..."`,
    );
  });
});
