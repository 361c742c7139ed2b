// A send that throws (thrown-send.ts) through two fake operations: an injected fetch that breaks its
// contract, and what each kind of failure means for a retry.
import { describe, expect, it, vi } from 'vitest';
import { apiError, json, rejectionOf } from '../../test-support/fake-api.ts';
import {
  callWith,
  DEFAULT_CALL,
  fakeEngine,
  getThing,
  offsets,
  refused,
  sendThing,
  thing,
  useEngineClock,
} from '../../test-support/fake-operations.ts';
import { ConnectionError } from '../errors/connection-error.ts';
import { DeliveryUnknownError } from '../errors/delivery-unknown-error.ts';
import { FetchError } from '../errors/fetch-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import type { EngineSettings } from './engine.ts';

const B1 = { businessId: 1, id: 1 };

useEngineClock();

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

describe('a request that cannot be built', () => {
  it('is a FetchError saying nothing was sent, not retried', async () => {
    const { engine, sent } = fakeEngine([thing(1)]);
    // openapi-fetch serialises the JSON body before it calls fetch: a BigInt cannot be.
    const error = await rejectionOf(
      engine.call(sendThing, { businessId: 1, id: 1n as unknown as number }, DEFAULT_CALL),
    );
    expect(error).toBeInstanceOf(FetchError);
    expect(error.message).toMatch(
      /^sendThing: the request could not be built \(.*BigInt.*\); nothing was sent \(1 attempt\)$/,
    );
    expect(sent).toHaveLength(0);
  });
});
