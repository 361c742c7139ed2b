// One attempt (send-attempt.ts) through two fake operations: how a response and its body read, a 200
// that breaks the contract, the body cap, and what an attempt leaves behind.
import { describe, expect, it, vi } from 'vitest';
import { apiError, json, rejectionOf } from '../../test-support/fake-api.ts';
import {
  callWith,
  DEFAULT_CALL,
  fakeEngine,
  getThing,
  thing,
  useEngineClock,
} from '../../test-support/fake-operations.ts';
import { BadRequestError } from '../errors/bad-request-error.ts';
import { UnexpectedResponseError } from '../errors/unexpected-response-error.ts';

const B1 = { businessId: 1, id: 1 };

useEngineClock();

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
