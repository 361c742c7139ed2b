// The error classes as a caller handles them: each one's `name` (what logs and `error.name ===` checks
// see), its place in the hierarchy, its message, and what `JSON.stringify` makes of it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  BadRequestError,
  ConnectionError,
  DeadlineError,
  DeliveryUnknownError,
  FetchError,
  ForbiddenError,
  MarketError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  UnexpectedResponseError,
  ValidationError,
} from '../index.ts';
import type { ApiErrorDetails } from './api-error.ts';

afterEach(() => {
  vi.useRealTimers();
});

const details = (overrides: Partial<ApiErrorDetails> = {}): ApiErrorDetails => ({
  operation: 'getChat',
  status: 420,
  errors: [{ code: 'LIMIT_EXCEEDED', message: 'Hit rate limit' }],
  headers: new Headers({ 'x-request-id': 'r-1' }),
  rateLimit: undefined,
  attempts: 1,
  ...overrides,
});

describe('every error class', () => {
  const api = details();
  const cases: [MarketError, string, ...(abstract new (...args: never[]) => Error)[]][] = [
    [new MarketError('m'), 'MarketError'],
    [new ApiError(api), 'ApiError'],
    [new BadRequestError(api), 'BadRequestError', ApiError],
    [new UnauthorizedError(api), 'UnauthorizedError', ApiError],
    [new ForbiddenError(api), 'ForbiddenError', ApiError],
    [new NotFoundError(api), 'NotFoundError', ApiError],
    [new RateLimitError(api), 'RateLimitError', ApiError],
    [new ServerError(api), 'ServerError', ApiError],
    [new ConnectionError('c', { attempts: 1 }), 'ConnectionError'],
    [new TimeoutError('getChat', 10, 1), 'TimeoutError', ConnectionError],
    [new FetchError('f', { attempts: 1 }), 'FetchError'],
    [
      new DeadlineError('getChat', { limitMs: 5, bound: 'deadlineMs', waitingFor: 'slot', attempts: 0 }),
      'DeadlineError',
    ],
    [new DeliveryUnknownError('sendMessageToChat', new MarketError('lost'), 1), 'DeliveryUnknownError'],
    [
      new UnexpectedResponseError('getChat', 'odd', { status: 200, headers: new Headers() }),
      'UnexpectedResponseError',
    ],
    [new ValidationError('chatId', 'is required'), 'ValidationError'],
  ];
  it.each(cases)('%#: is a MarketError named %s', (error, name, ...ancestors) => {
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(MarketError);
    expect(error).toBeInstanceOf(Error);
    for (const ancestor of ancestors) expect(error).toBeInstanceOf(ancestor);
    expect(String(error)).toMatch(new RegExp(`^${name}: `));
    expect(error.toJSON()).toMatchObject({ name, message: error.message });
  });
});

describe('MarketError.toJSON', () => {
  it('holds name, message and every own field, headers as a plain object; JSON.stringify uses it', () => {
    const error = new RateLimitError(details({ resetAt: undefined }));
    const json = error.toJSON();
    expect(json).toEqual({
      name: 'RateLimitError',
      message: 'getChat: HTTP 420 LIMIT_EXCEEDED: Hit rate limit (1 attempt)',
      status: 420,
      errors: [{ code: 'LIMIT_EXCEEDED', message: 'Hit rate limit' }],
      code: 'LIMIT_EXCEEDED',
      headers: { 'x-request-id': 'r-1' },
      rateLimit: undefined,
      attempts: 1,
      resetAt: undefined,
      retryAfterMs: undefined,
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'RateLimitError',
      message: error.message,
      status: 420,
      errors: [{ code: 'LIMIT_EXCEEDED', message: 'Hit rate limit' }],
      code: 'LIMIT_EXCEEDED',
      headers: { 'x-request-id': 'r-1' },
      attempts: 1,
    });
  });

  it('keeps the cause of a DeliveryUnknownError: its name, message, status and code', () => {
    const cause = new ServerError(
      details({ status: 503, errors: [{ code: 'UNAVAILABLE', message: 'try later' }] }),
    );
    const error = new DeliveryUnknownError('sendMessageToChat', cause, 1);
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toMatchObject({ name: 'DeliveryUnknownError', attempts: 1 });
    expect(json.cause).toEqual({
      name: 'ServerError',
      message: 'getChat: HTTP 503 UNAVAILABLE: try later (1 attempt)',
      status: 503,
      errors: [{ code: 'UNAVAILABLE', message: 'try later' }],
      code: 'UNAVAILABLE',
      headers: { 'x-request-id': 'r-1' },
      attempts: 1,
    });
  });

  it('keeps a cause that is a plain Error, with its code and its own cause; a cycle ends', () => {
    const lowLevel = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104 });
    const cause = new TypeError('fetch failed', { cause: lowLevel });
    const error = new ConnectionError('getChat: no response', { cause, attempts: 2 });
    expect(JSON.parse(JSON.stringify(error)).cause).toEqual({
      name: 'TypeError',
      message: 'fetch failed',
      cause: { name: 'Error', message: 'read ECONNRESET', code: 'ECONNRESET', errno: -104 },
    });
    const looped = new Error('a');
    looped.cause = looped;
    const json = JSON.parse(JSON.stringify(new FetchError('f', { cause: looped, attempts: 1 })));
    let depth = 0;
    for (let level = json; level.cause !== undefined; level = level.cause) depth++;
    expect(depth).toBe(4); // the chain is cut after four causes
    const causeOf = (cause: unknown) =>
      JSON.parse(JSON.stringify(new FetchError('f', { cause, attempts: 1 }))).cause;
    expect([causeOf('text'), causeOf(5), causeOf(false), causeOf(null)]).toEqual(['text', 5, false, null]);
    expect([causeOf({ status: 'x' }), causeOf(10n)]).toEqual(['[object Object]', '10']);
  });

  it('keeps values that are not Headers as they are', () => {
    const error = new ValidationError('chatId', 'is required');
    expect(error.toJSON()).toEqual({
      name: 'ValidationError',
      message: 'chatId is required',
      field: 'chatId',
    });
  });
});

describe('ApiError', () => {
  it('message: the operation, status, each error as `code: message` (or the code alone), attempts, a note', () => {
    const error = new ApiError(
      details({
        status: 400,
        errors: [{ code: 'BAD_REQUEST', message: 'chatId is wrong' }, { code: 'OTHER' }],
        attempts: 3,
        note: 'not retried',
      }),
    );
    expect(error.message).toBe(
      'getChat: HTTP 400 BAD_REQUEST: chatId is wrong; OTHER (3 attempts); not retried',
    );
    expect(error.code).toBe('BAD_REQUEST');
  });

  it('without errors: the body problem, else "no error details in the body"; no code', () => {
    expect(new ApiError(details({ errors: [], bodyProblem: 'is not JSON' })).message).toBe(
      'getChat: HTTP 420 is not JSON (1 attempt)',
    );
    const bare = new ApiError(details({ errors: [] }));
    expect(bare.message).toBe('getChat: HTTP 420 no error details in the body (1 attempt)');
    expect(bare.code).toBeUndefined();
  });

  it('a message given explicitly replaces the described one', () => {
    expect(new ApiError(details(), 'custom').message).toBe('custom');
  });

  it('resetAt and retryAfterMs: how long from now, never negative', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const later = new ServerError(details({ status: 503, resetAt: new Date(1_002_500) }));
    expect([later.resetAt?.getTime(), later.retryAfterMs]).toEqual([1_002_500, 2_500]);
    const past = new ServerError(details({ status: 503, resetAt: new Date(999_000) }));
    expect(past.retryAfterMs).toBe(0);
  });
});

describe('the other errors', () => {
  it('ConnectionError and FetchError keep their cause and attempts', () => {
    const cause = new TypeError('fetch failed');
    const connection = new ConnectionError('getChat: no response', { cause, attempts: 3 });
    expect([connection.cause, connection.attempts]).toEqual([cause, 3]);
    const fetchError = new FetchError('getChat: fetch is broken', { cause, attempts: 1 });
    expect([fetchError.message, fetchError.cause, fetchError.attempts]).toEqual([
      'getChat: fetch is broken',
      cause,
      1,
    ]);
  });

  it('TimeoutError says how long it waited, how often, and a note', () => {
    const error = new TimeoutError('getChat', 250, 2, 'a write is not sent again');
    expect(error.message).toBe('getChat: no response within 250 ms (2 attempts); a write is not sent again');
    expect([error.timeoutMs, error.attempts]).toEqual([250, 2]);
    expect(new TimeoutError('getChat', 250, 1).message).toBe(
      'getChat: no response within 250 ms (1 attempt)',
    );
  });

  it('DeliveryUnknownError names the cause and what to do', () => {
    const cause = new TimeoutError('sendMessageToChat', 100, 1);
    const error = new DeliveryUnknownError('sendMessageToChat', cause, 1);
    expect(error.message).toBe(
      'sendMessageToChat: may or may not have been delivered (sendMessageToChat: no response within 100 ms (1 attempt)); not retried so that the customer never gets it twice: check getChatHistory before sending again',
    );
    expect([error.cause, error.attempts]).toEqual([cause, 1]);
  });

  it('DeadlineError says what it waited for and which bound passed', () => {
    const slot = new DeadlineError('getChat', {
      limitMs: 5,
      bound: 'maxRetryDelayMs',
      waitingFor: 'slot',
      attempts: 0,
    });
    expect(slot.message).toBe(
      'getChat: gave up waiting for an in-flight slot of the business: maxRetryDelayMs (5 ms) passed (0 attempts)',
    );
    const quota = new DeadlineError('getChat', {
      limitMs: 9,
      bound: 'deadlineMs',
      waitingFor: 'quota',
      attempts: 2,
    });
    expect(quota.message).toBe(
      'getChat: gave up waiting for the answers that tell whether the quota of the business has calls left: deadlineMs (9 ms) passed (2 attempts)',
    );
    expect([quota.limitMs, quota.waitingFor, quota.attempts]).toEqual([9, 'quota', 2]);
  });

  it('UnexpectedResponseError carries status, headers, and the errors of a 200 that says ERROR', () => {
    const headers = new Headers({ a: '1' });
    const error = new UnexpectedResponseError(
      'getChat',
      'HTTP 200 body has no result',
      { status: 200, headers },
      [{ code: 'INTERNAL', message: 'try later' }],
    );
    expect(error.message).toBe('getChat: HTTP 200 body has no result');
    expect([error.status, error.headers, error.code, error.errors]).toEqual([
      200,
      headers,
      'INTERNAL',
      [{ code: 'INTERNAL', message: 'try later' }],
    ]);
    const bare = new UnexpectedResponseError('getChat', 'odd', { status: 302, headers });
    expect([bare.errors, bare.code]).toEqual([[], undefined]);
  });
});
