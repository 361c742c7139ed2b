import { getEventListeners } from 'node:events';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiError, fakeApi, json, ok, type Reply, rejectionOf } from '../test-support/fake-api.ts';
import {
  ApiError,
  BadRequestError,
  ConnectionError,
  createMarketClient,
  ForbiddenError,
  type MarketClientSettings,
  MarketError,
  NotFoundError,
  PRODUCTION_BASE_URL,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  UnexpectedResponseError,
  ValidationError,
} from './index.ts';

const SECRET = 'y0_SECRET-api-key-123';
const ORDER = { businessId: 123, context: { type: 'ORDER', id: 456 } } as const;

function client(script: Reply[], options: MarketClientSettings = {}) {
  const api = fakeApi(...script);
  const market = createMarketClient({ apiKey: SECRET, fetch: api.fetch, ...options });
  return { market, sent: api.sent };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-25T12:00:00Z') });
  vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter: backoff is exactly 500, 1000, 2000 ms ...
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('a successful call', () => {
  it('sends POST with the Api-Key, JSON body and path, and resolves to the chat id', async () => {
    const { market, sent } = client([ok(987)], { integration: 'shop/1.0' });
    await expect(market.createChat(ORDER)).resolves.toEqual({ chatId: 987 });
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`${PRODUCTION_BASE_URL}/v2/businesses/123/chats/new`);
    expect(request?.headers.get('Api-Key')).toBe(SECRET);
    expect(request?.headers.get('Authorization')).toBeNull();
    expect(request?.headers.get('Content-Type')).toBe('application/json');
    expect(request?.headers.get('X-Market-Integration')).toBe('shop/1.0');
    expect(JSON.parse(request?.body ?? '')).toEqual({ context: { type: 'ORDER', id: 456 } });
  });

  it('sends an OAuth token as a Bearer Authorization header instead', async () => {
    const api = fakeApi(ok(1));
    const market = createMarketClient({
      oauthToken: SECRET,
      fetch: api.fetch,
      baseUrl: 'http://127.0.0.1:9/',
    });
    await market.createChat({ businessId: 1, context: { type: 'RETURN', id: 2 } });
    expect(api.sent[0]?.headers.get('Authorization')).toBe(`Bearer ${SECRET}`);
    expect(api.sent[0]?.headers.get('Api-Key')).toBeNull();
    expect(api.sent[0]?.url).toBe('http://127.0.0.1:9/v2/businesses/1/chats/new');
  });

  it('keeps the rate-limit state of the last response readable', async () => {
    const headers = {
      'X-RateLimit-Resource-Limit': '1000',
      'X-RateLimit-Resource-Remaining': '997',
      'X-RateLimit-Resource-Until': 'Wed, 25 Nov 2026 13:00:00 GMT',
    };
    const { market } = client([ok(1, headers)]);
    expect(market.rateLimit).toBeUndefined();
    await market.createChat(ORDER);
    expect(market.rateLimit).toEqual({
      businessId: 123,
      limit: 1000,
      remaining: 997,
      resetAt: new Date('2026-11-25T13:00:00Z'),
    });
  });

  it('refuses unknown fields of the input by name and sends nothing', async () => {
    const { market, sent } = client([ok(1)]);
    const input = { ...ORDER, context: { ...ORDER.context, extra: 'x' } };
    const error = await rejectionOf(market.createChat(input));
    expect(error).toMatchObject({ name: 'ValidationError', field: 'context.extra' });
    const deprecated = await rejectionOf(market.createChat({ ...ORDER, orderId: 9 } as never));
    expect(deprecated).toMatchObject({ name: 'ValidationError', field: 'orderId' });
    expect(sent).toHaveLength(0);
  });
});

describe('error responses', () => {
  it.each([
    [400, BadRequestError, 'BAD_REQUEST', 'context.id: must be greater than or equal to 1'],
    [401, UnauthorizedError, 'UNAUTHORIZED', 'Api-Key token is invalid'],
    [403, ForbiddenError, 'FORBIDDEN', 'Access denied'],
    [404, NotFoundError, 'NOT_FOUND', 'Order 456 not found'],
    [409, ApiError, 'CONFLICT', 'Something else'],
  ])('%i becomes %o, sent once, with the code and message', async (status, ErrorClass, code, message) => {
    const { market, sent } = client([apiError(status, code, message)]);
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(MarketError);
    expect(error.name).toBe(ErrorClass.name);
    expect(error).toMatchObject({ status, code, errors: [{ code, message }], attempts: 1 });
    expect(error.message).toBe(`createChat: HTTP ${status} ${code}: ${message} (1 attempt)`);
    expect(sent).toHaveLength(1);
  });

  it.each([420, 429])(
    '%i is sent again maxRateLimitResends times, whatever maxRetries, then is a RateLimitError',
    async (status) => {
      const onRetry = vi.fn();
      const { market, sent } = client([apiError(status, 'E', 'failed')], {
        maxRetries: 0,
        maxRateLimitResends: 3,
        hooks: { onRetry },
      });
      const result = rejectionOf(market.createChat(ORDER));
      await vi.runAllTimersAsync();
      const error = await result;
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status, attempts: 4 });
      expect(error.message).toContain('(4 attempts); maxRateLimitResends (3) used up');
      expect(sent).toHaveLength(4);
      expect(onRetry.mock.calls.map(([event]) => event.budget)).toEqual(Array(3).fill('rateLimitResends'));
    },
  );

  it('a per-call maxRateLimitResends overrides the client one', async () => {
    const { market, sent } = client([apiError(420, 'E', 'failed')], { maxRateLimitResends: 3 });
    const result = rejectionOf(market.createChat(ORDER, { maxRateLimitResends: 1 }));
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ attempts: 2 });
    expect(sent).toHaveLength(2);
  });

  it.each([
    [500, ServerError],
    [502, ServerError],
    [503, ServerError],
    [504, ServerError],
  ])('%i is retried maxRetries times, then becomes %o', async (status, ErrorClass) => {
    const { market, sent } = client([apiError(status, 'E', 'failed')], { maxRetries: 3 });
    const result = rejectionOf(market.createChat(ORDER));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, attempts: 4 });
    expect(error.message).toContain('(4 attempts)');
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((r) => r.body)).size).toBe(1); // every attempt carried the same full body
    expect(sent.every((r) => r.body.includes('"id":456'))).toBe(true);
  });

  it('a retry that succeeds resolves normally', async () => {
    const { market, sent } = client([apiError(503, 'E', 'busy'), ok(42)]);
    const result = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ chatId: 42 });
    expect(sent).toHaveLength(2);
  });

  it('names the body when an error response is not JSON', async () => {
    const html = new Response('<html><body>502 Bad Gateway</body></html>', {
      status: 502,
      headers: { 'Content-Type': 'text/html' },
    });
    const { market } = client([html], { maxRetries: 0 });
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toBe(
      'createChat: HTTP 502 body is not JSON (text/html): "<html><body>502 Bad Gateway</body></html>" (1 attempt)',
    );
  });

  it('says so when an error response has no body or no errors', async () => {
    const { market } = client([new Response(null, { status: 404 })]);
    expect((await rejectionOf(market.createChat(ORDER))).message).toBe(
      'createChat: HTTP 404 empty body (1 attempt)',
    );
    const other = client([json(403, { status: 'ERROR', errors: null })]);
    const error = await rejectionOf(other.market.createChat(ORDER));
    expect(error).toMatchObject({ errors: [], code: undefined });
    expect(error.message).toBe(
      'createChat: HTTP 403 no error details in the body: {"status":"ERROR","errors":null} (1 attempt)',
    );
  });

  it.each([
    ['null', 'null'],
    ['a number', '5'],
  ])('an error body of JSON %s is the status error, sent once, not a connection failure', async (_, body) => {
    const response = new Response(body, { status: 400, headers: { 'Content-Type': 'application/json' } });
    const { market, sent } = client([response]);
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toBe(`createChat: HTTP 400 no error details in the body: ${body} (1 attempt)`);
    expect(sent).toHaveLength(1);
  });

  it('lists every error of the body in the message', async () => {
    const body = {
      status: 'ERROR',
      errors: [{ code: 'BAD_REQUEST', message: 'a' }, { code: 'INVALID_ID' }],
    };
    const { market } = client([json(400, body)]);
    expect((await rejectionOf(market.createChat(ORDER))).message).toBe(
      'createChat: HTTP 400 BAD_REQUEST: a; INVALID_ID (1 attempt)',
    );
  });
});

describe('responses that break the contract', () => {
  it.each([
    ['an empty body', new Response('', { status: 200 }), 'HTTP 200 with an empty body; expected JSON'],
    [
      'an HTML body',
      new Response('<!doctype html><p>maintenance</p>', {
        status: 200,
        headers: { 'Content-Type': 'text/html' },
      }),
      'HTTP 200 with a body that is not JSON (text/html): "<!doctype html><p>maintenance</p>"',
    ],
    ['no result', json(200, { status: 'OK' }), 'HTTP 200 body has no result.chatId'],
    [
      'no chatId',
      json(200, { status: 'OK', result: {} }),
      'HTTP 200 body breaks the contract: body.result.chatId is required',
    ],
    [
      'a string chatId',
      json(200, { status: 'OK', result: { chatId: '5' } }),
      'HTTP 200 body breaks the contract: body.result.chatId must be an integer, got "5"',
    ],
    [
      'a chatId of 0',
      json(200, { status: 'OK', result: { chatId: 0 } }),
      'HTTP 200 body breaks the contract: body.result.chatId must be >= 1, got 0',
    ],
    [
      'a chatId beyond 2^53',
      new Response('{"status":"OK","result":{"chatId":9007199254740993}}', { status: 200 }),
      'HTTP 200 body breaks the contract: body.result.chatId must be at most 9007199254740991',
    ],
    ['status ERROR and no result', json(200, { status: 'ERROR' }), 'HTTP 200 body has no result.chatId'],
    [
      'an unknown status',
      json(200, { status: 'MAYBE', result: { chatId: 1 } }),
      'HTTP 200 body breaks the contract: body.status must be one of OK, ERROR, got "MAYBE"',
    ],
    [
      'a JSON array',
      json(200, []),
      'HTTP 200 body breaks the contract: body must be an object, got an array',
    ],
    [
      'a redirect',
      new Response(null, { status: 302, headers: { Location: 'https://elsewhere.example/' } }),
      'HTTP 302 redirect (https://elsewhere.example/) not followed',
    ],
  ])('%s gives UnexpectedResponseError, not retried', async (_, response, message) => {
    const { market, sent } = client([response]);
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error).toBeInstanceOf(MarketError);
    expect(error.message).toContain(`createChat: ${message}`);
    expect(error).toMatchObject({ status: response.status });
    expect(sent).toHaveLength(1);
  });

  it('accepts a 200 whose body says status ERROR but carries a valid chatId, as the spec allows', async () => {
    const { market } = client([json(200, { status: 'ERROR', result: { chatId: 77 } })]);
    await expect(market.createChat(ORDER)).resolves.toEqual({ chatId: 77 });
  });

  it('does not follow redirects with the credential', async () => {
    const spy = vi.fn(async (request: Request) => {
      expect(request.redirect).toBe('manual');
      return new Response(null, { status: 307, headers: { Location: 'https://evil.example/' } });
    });
    const market = createMarketClient({ apiKey: SECRET, fetch: spy });
    await expect(market.createChat(ORDER)).rejects.toBeInstanceOf(UnexpectedResponseError);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe('retry delays', () => {
  /** Attempt times relative to the first one. */
  const offsets = (sent: { at: number }[]) => sent.map((r) => r.at - (sent[0]?.at ?? 0));

  it('backs off exponentially from 500 ms, capped at 8 s', async () => {
    const { market, sent } = client([apiError(500, 'E', 'x')], { maxRetries: 6 });
    const result = rejectionOf(market.createChat(ORDER));
    await vi.runAllTimersAsync();
    await result;
    expect(offsets(sent)).toEqual([0, 500, 1500, 3500, 7500, 15500, 23500]);
  });

  it('subtracts up to 25 % jitter', async () => {
    vi.mocked(Math.random).mockReturnValue(0.999);
    const { market, sent } = client([apiError(500, 'E', 'x')], { maxRetries: 2 });
    const result = rejectionOf(market.createChat(ORDER));
    await vi.runAllTimersAsync();
    await result;
    expect(offsets(sent)).toEqual([0, 375, 375 + 750]);
  });

  it('waits for Retry-After in seconds', async () => {
    const { market, sent } = client([apiError(503, 'E', 'x', { 'Retry-After': '3' }), ok(1)]);
    const result = market.createChat(ORDER);
    await vi.advanceTimersByTimeAsync(2999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    await expect(result).resolves.toEqual({ chatId: 1 });
  });

  it('waits for Retry-After as an HTTP date', async () => {
    const { market, sent } = client([
      apiError(420, 'LIMIT_EXCEEDED', 'x', { 'Retry-After': 'Wed, 25 Nov 2026 12:00:07 GMT' }),
      ok(1),
    ]);
    const result = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await result;
    expect(offsets(sent)).toEqual([0, 7000]);
  });

  it('waits until X-RateLimit-Resource-Until on a 420 when the quota is used up', async () => {
    const headers = {
      'X-RateLimit-Resource-Limit': '1000',
      'X-RateLimit-Resource-Remaining': '0',
      'X-RateLimit-Resource-Until': 'Wed, 25 Nov 2026 12:00:20 GMT',
    };
    const { market, sent } = client([apiError(420, 'LIMIT_EXCEEDED', 'x', headers), ok(1)]);
    const result = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await result;
    expect(offsets(sent)).toEqual([0, 20000]);
  });

  it('backs off instead when the reset time has passed or quota is left (the in-flight limit)', async () => {
    const past = {
      'X-RateLimit-Resource-Remaining': '0',
      'X-RateLimit-Resource-Until': 'Thu, 10 Jul 2018 00:42:42 GMT',
    };
    const left = {
      'X-RateLimit-Resource-Remaining': '5',
      'X-RateLimit-Resource-Until': 'Wed, 25 Nov 2026 12:30:00 GMT',
    };
    const { market, sent } = client([apiError(420, 'L', 'x', past), apiError(420, 'L', 'x', left), ok(1)]);
    const result = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await result;
    // A stale reset: the usual 500 ms backoff. Quota left: the in-flight limit, sent again after 25 ms
    // halved by the jitter (Math.random is 0 here), and not counted as a retry.
    expect(offsets(sent)).toEqual([0, 500, 513]);
  });

  it('a 5xx that says the quota is used up holds the retry until the reset', async () => {
    const headers = {
      'X-RateLimit-Resource-Remaining': '0',
      'X-RateLimit-Resource-Until': 'Wed, 25 Nov 2026 12:00:20 GMT',
    };
    const { market, sent } = client([apiError(500, 'E', 'x', headers), ok(1)]);
    const result = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await result;
    expect(offsets(sent)).toEqual([0, 20_000]);
  });

  it('fails at once with a RateLimitError saying when, if the server asks for more than maxRetryDelayMs', async () => {
    const headers = {
      'X-RateLimit-Resource-Remaining': '0',
      'X-RateLimit-Resource-Until': 'Wed, 25 Nov 2026 13:00:00 GMT',
    };
    const { market, sent } = client([apiError(420, 'LIMIT_EXCEEDED', 'Hit rate limit', headers)], {
      maxRetryDelayMs: 60_000,
    });
    const error = await rejectionOf(market.createChat(ORDER));
    expect(sent).toHaveLength(1);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({
      resetAt: new Date('2026-11-25T13:00:00Z'),
      retryAfterMs: 3_600_000,
      attempts: 1,
    });
    expect(error.message).toBe(
      'createChat: HTTP 420 LIMIT_EXCEEDED: Hit rate limit (1 attempt); the server asks to wait until ' +
        '2026-11-25T13:00:00.000Z (3600 s), longer than maxRetryDelayMs (60000 ms): try again after that',
    );
  });

  it('fails at once, with a valid date, when Retry-After is absurdly far', async () => {
    const { market, sent } = client([
      apiError(420, 'LIMIT_EXCEEDED', 'x', { 'Retry-After': '99999999999999' }),
    ]);
    const error = await rejectionOf(market.createChat(ORDER));
    expect(sent).toHaveLength(1);
    expect(error).toBeInstanceOf(RateLimitError);
    const { resetAt, retryAfterMs } = error as RateLimitError;
    // As far as a Date goes (the server's 3 million years are past it), not an invalid Date.
    expect(resetAt?.toISOString()).toBe('+275760-09-13T00:00:00.000Z');
    expect(retryAfterMs).toBe(8.64e15 - Date.parse('2026-11-25T12:00:00Z'));
  });

  it('reports a far Retry-After date as the server said it, and fails at once', async () => {
    const farAway = { 'Retry-After': 'Sat, 01 Jan 2100 00:00:00 GMT' };
    const { market, sent } = client([apiError(420, 'LIMIT_EXCEEDED', 'x', farAway)]);
    const error = (await rejectionOf(market.createChat(ORDER))) as RateLimitError;
    expect(sent).toHaveLength(1);
    expect(error.resetAt).toEqual(new Date('2100-01-01T00:00:00Z'));
  });

  it('a 420 from the in-flight limit (quota left) is sent again after a short doubling wait, not counted as a retry', async () => {
    const headers = {
      'X-RateLimit-Resource-Remaining': '12',
      'X-RateLimit-Resource-Until': 'Wed, 25 Nov 2026 12:59:00 GMT',
    };
    const parallel = apiError(420, 'LIMIT_EXCEEDED', 'Hit rate limit of 4 parallel requests', headers);
    const onHeld = vi.fn();
    const { market, sent } = client([parallel, parallel, parallel, ok(7)], {
      maxRetries: 0,
      hooks: { onHeld },
    });
    const result = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ chatId: 7 });
    expect(offsets(sent)).toEqual([0, 13, 38, 88]); // 25, 50, 100 ms halved by the jitter
    expect(onHeld.mock.calls.map(([event]) => [event.reason, event.delayMs])).toEqual([
      ['parallel-limit', 13],
      ['parallel-limit', 25],
      ['parallel-limit', 50],
    ]);
  });

  it('a server that keeps answering the in-flight 420 gets 10 requests with the defaults', async () => {
    const headers = { 'X-RateLimit-Resource-Remaining': '12' };
    const { market, sent } = client([apiError(420, 'LIMIT_EXCEEDED', 'x', headers)], { maxRetries: 0 });
    const result = rejectionOf(market.createChat(ORDER));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toContain('(10 attempts); maxRateLimitResends (9) used up');
    expect(offsets(sent)).toEqual([0, 13, 38, 88, 188, 388, 788, 1588, 2588, 3588]);
  });

  it('with resends to spare, the deadline ends it', async () => {
    const headers = { 'X-RateLimit-Resource-Remaining': '12' };
    const { market, sent } = client([apiError(420, 'LIMIT_EXCEEDED', 'x', headers)], {
      deadlineMs: 10_000,
      maxRateLimitResends: 100,
    });
    const result = rejectionOf(market.createChat(ORDER));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toContain("past the call's deadlineMs (10000 ms)");
    expect(Date.now() - (sent[0]?.at ?? 0)).toBeLessThanOrEqual(10_000);
    // Waits of 13, 25, 50 ... 800 ms, then 1000 ms each (2 s halved by the jitter): no tight loop.
    expect(offsets(sent)).toEqual([
      0, 13, 38, 88, 188, 388, 788, 1588, 2588, 3588, 4588, 5588, 6588, 7588, 8588, 9588,
    ]);
  });

  it('applies the cap to Retry-After on a 5xx too', async () => {
    const { market, sent } = client([apiError(503, 'E', 'x', { 'Retry-After': '120' })]);
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toContain('longer than maxRetryDelayMs (60000 ms)');
    expect(sent).toHaveLength(1);
  });

  it('reports each retry to onRetry with the delay and the reason', async () => {
    const onRetry = vi.fn();
    const { market } = client([apiError(500, 'INTERNAL_ERROR', 'oops'), ok(1)], { hooks: { onRetry } });
    const result = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await result;
    expect(onRetry).toHaveBeenCalledTimes(1);
    const [event] = onRetry.mock.calls[0] ?? [];
    expect(event).toMatchObject({ attempt: 1, delayMs: 500 });
    expect(event.reason).toBeInstanceOf(ServerError);
    expect(event.reason.message).toContain('INTERNAL_ERROR: oops');
  });

  it('uses per-call maxRetries over the client default', async () => {
    const { market, sent } = client([apiError(500, 'E', 'x')], { maxRetries: 5 });
    const result = rejectionOf(market.createChat(ORDER, { maxRetries: 0 }));
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(ServerError);
    expect(sent).toHaveLength(1);
  });
});

describe('connection failures, timeouts and aborts', () => {
  it('retries connection errors and then throws ConnectionError with the cause', async () => {
    const cause = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const { market, sent } = client([cause], { maxRetries: 2 });
    const result = rejectionOf(market.createChat(ORDER));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      'createChat: no response from api.partner.market.yandex.ru: fetch failed (ECONNREFUSED) (3 attempts)',
    );
    expect(sent).toHaveLength(3);
  });

  /** A server that never answers, until the request is aborted. */
  const hang = (request: Request) =>
    new Promise<Response>((_, reject) => {
      request.signal.addEventListener('abort', () => reject(request.signal.reason));
    });

  it('times out each attempt after timeoutMs, retries, then throws TimeoutError', async () => {
    const { market, sent } = client([hang], { timeoutMs: 1000, maxRetries: 1 });
    const result = rejectionOf(market.createChat(ORDER));
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // timeout of attempt 1, then 500 ms backoff
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    const error = await result;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ timeoutMs: 1000, attempts: 2 });
    expect(error.message).toBe('createChat: no response within 1000 ms (2 attempts)');
  });

  it('per-call timeoutMs overrides the default', async () => {
    const { market } = client([hang], { maxRetries: 0 });
    const result = rejectionOf(market.createChat(ORDER, { timeoutMs: 50 }));
    await vi.advanceTimersByTimeAsync(50);
    expect(await result).toMatchObject({ name: 'TimeoutError', timeoutMs: 50 });
  });

  it('a user abort during a request rejects with the signal reason and is not retried', async () => {
    const onRetry = vi.fn();
    const { market, sent } = client([hang], { hooks: { onRetry } });
    const controller = new AbortController();
    const result = rejectionOf(market.createChat(ORDER, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('user gave up');
    controller.abort(reason);
    expect(await result).toBe(reason);
    await vi.runAllTimersAsync();
    expect(sent).toHaveLength(1);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('a user abort during the wait for a retry cancels the wait', async () => {
    const { market, sent } = client([apiError(500, 'E', 'x')]);
    const controller = new AbortController();
    const result = rejectionOf(market.createChat(ORDER, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100); // inside the 500 ms backoff
    controller.abort();
    const error = await result;
    expect(error.name).toBe('AbortError');
    expect(vi.getTimerCount()).toBe(0);
    expect(sent).toHaveLength(1);
  });

  it('times out and aborts even with an injected fetch that ignores the signal', async () => {
    const deaf = () => new Promise<Response>(() => {}); // never settles, never looks at request.signal
    const { market } = client([deaf], { timeoutMs: 200, maxRetries: 0 });
    const timedOut = rejectionOf(market.createChat(ORDER));
    await vi.advanceTimersByTimeAsync(200);
    expect(await timedOut).toMatchObject({ name: 'TimeoutError', timeoutMs: 200 });
    const controller = new AbortController();
    const aborted = rejectionOf(market.createChat(ORDER, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(50);
    controller.abort(new Error('user'));
    expect((await aborted).message).toBe('user');
  });

  it('adds one listener to a signal shared by many calls, however many wait', async () => {
    const pending: Array<(response: Response) => void> = [];
    const { market } = client([() => new Promise<Response>((resolve) => pending.push(resolve))]);
    const shared = new AbortController();
    const calls = Array.from({ length: 20 }, () => market.createChat(ORDER, { signal: shared.signal }));
    await vi.advanceTimersByTimeAsync(0);
    expect(pending).toHaveLength(4); // 16 more wait for a slot
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    shared.abort(new Error('shutdown'));
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.every((o) => o.status === 'rejected' && (o.reason as Error).message === 'shutdown')).toBe(
      true,
    );
  });

  it('an already aborted signal sends nothing', async () => {
    const { market, sent } = client([ok(1)]);
    const reason = new Error('stop');
    expect(await rejectionOf(market.createChat(ORDER, { signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect(sent).toHaveLength(0);
  });
});

describe('at most 4 requests in flight per business', () => {
  it('queues the fifth call for a business until one finishes, other businesses are not held up', async () => {
    const pending: Array<(response: Response) => void> = [];
    const { market, sent } = client([() => new Promise<Response>((resolve) => pending.push(resolve))]);
    const calls = Array.from({ length: 6 }, () => market.createChat(ORDER));
    const other = market.createChat({ ...ORDER, businessId: 999 });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((r) => r.url.match(/businesses\/(\d+)/)?.[1])).toEqual([
      '123',
      '123',
      '123',
      '123',
      '999',
    ]);
    pending.shift()?.(ok(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(6);
    for (const resolve of pending.splice(0)) resolve(ok(2));
    await vi.advanceTimersByTimeAsync(0);
    for (const resolve of pending.splice(0)) resolve(ok(3));
    await expect(Promise.all([...calls, other])).resolves.toHaveLength(7);
    expect(sent).toHaveLength(7);
  });

  it('a call waiting for a slot can be aborted', async () => {
    const pending: Array<(response: Response) => void> = [];
    const { market, sent } = client([() => new Promise<Response>((resolve) => pending.push(resolve))]);
    const first = Array.from({ length: 4 }, () => market.createChat(ORDER));
    const controller = new AbortController();
    const waiting = rejectionOf(market.createChat(ORDER, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(0);
    controller.abort(new Error('no longer needed'));
    expect((await waiting).message).toBe('no longer needed');
    for (const resolve of pending.splice(0)) resolve(ok(1));
    await Promise.all(first);
    expect(sent).toHaveLength(4);
  });
});

describe('the secret never leaks', () => {
  it('is absent from errors, their string, JSON and inspect forms, and from hook payloads', async () => {
    const events: unknown[] = [];
    const hooks = {
      onRequest: (e: unknown) => events.push(e),
      onResponse: (e: unknown) => events.push(e),
      onRetry: (e: unknown) => events.push(e),
    };
    const cause = new TypeError('fetch failed');
    const { market } = client([apiError(500, 'E', 'x'), cause, apiError(401, 'UNAUTHORIZED', 'bad token')], {
      hooks,
    });
    const result = rejectionOf(market.createChat(ORDER));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(events.length).toBeGreaterThanOrEqual(7);
    const forms = [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10 })];
    forms.push(inspect(events, { depth: 10 }), JSON.stringify(events), inspect(market, { depth: 10 }));
    for (const form of forms) expect(form).not.toContain(SECRET);
    expect(JSON.stringify(events)).toContain('"api-key":"[REDACTED]"');
  });

  it('redacts the OAuth token in hooks', async () => {
    const onRequest = vi.fn();
    const api = fakeApi(ok(1));
    const market = createMarketClient({ oauthToken: SECRET, fetch: api.fetch, hooks: { onRequest } });
    await market.createChat(ORDER);
    expect(onRequest.mock.calls[0]?.[0].headers.authorization).toBe('Bearer [REDACTED]');
  });

  it('is not echoed by option errors', () => {
    for (const apiKey of [`Bearer ${SECRET}`, `${SECRET}\n`, `${SECRET} x`]) {
      const error = rejectionSync(() => createMarketClient({ apiKey }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'apiKey' });
      expect(`${error.message} ${inspect(error)}`).not.toContain(SECRET);
    }
  });
});

describe('hooks', () => {
  it('an async hook that rejects neither breaks the call nor leaves an unhandled rejection', async () => {
    vi.useRealTimers(); // a real setImmediate below lets Node report unhandled rejections first
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const { market } = client([ok(9)], {
        hooks: {
          onRequest: async () => {
            throw new Error('metrics down');
          },
          onResponse: async () => {
            throw new Error('metrics down');
          },
        },
      });
      await expect(market.createChat(ORDER)).resolves.toEqual({ chatId: 9 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('see each attempt and response; a throwing hook does not break the call', async () => {
    const seen: string[] = [];
    const { market } = client([apiError(503, 'E', 'x'), ok(1)], {
      hooks: {
        onRequest: (e) => {
          seen.push(`request ${e.attempt} ${e.method} ${e.url}`);
          throw new Error('broken logger');
        },
        onResponse: (e) => seen.push(`response ${e.attempt} ${e.status}`),
      },
    });
    const result = market.createChat(ORDER);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ chatId: 1 });
    const url = `${PRODUCTION_BASE_URL}/v2/businesses/123/chats/new`;
    expect(seen).toEqual([
      `request 1 POST ${url}`,
      'response 1 503',
      `request 2 POST ${url}`,
      'response 2 200',
    ]);
  });
});

describe('input validation sends nothing', () => {
  const MAX = Number.MAX_SAFE_INTEGER;
  it.each([
    ['businessId', { businessId: 0, context: ORDER.context }, 'businessId must be >= 1, got 0'],
    ['businessId', { businessId: -5, context: ORDER.context }, 'businessId must be >= 1, got -5'],
    ['businessId', { businessId: 1.5, context: ORDER.context }, 'businessId must be an integer, got 1.5'],
    [
      'businessId',
      { businessId: Number.NaN, context: ORDER.context },
      'businessId must be an integer, got NaN',
    ],
    ['businessId', { businessId: '123', context: ORDER.context }, 'businessId must be an integer, got "123"'],
    ['businessId', { context: ORDER.context }, 'businessId must be an integer, got undefined'],
    ['businessId', { businessId: MAX + 1, context: ORDER.context }, `businessId must be at most ${MAX}`],
    ['context', { businessId: 1 }, 'context is required'],
    ['context', { businessId: 1, context: null }, 'context must be an object, got null'],
    ['context.type', { businessId: 1, context: { id: 1 } }, 'context.type is required'],
    [
      'context.type',
      { businessId: 1, context: { type: 'DIRECT', id: 1 } },
      'context.type must be one of ORDER, RETURN, got "DIRECT"',
    ],
    [
      'context.type',
      { businessId: 1, context: { type: 'order', id: 1 } },
      'context.type must be one of ORDER, RETURN, got "order"',
    ],
    ['context.id', { businessId: 1, context: { type: 'ORDER' } }, 'context.id is required'],
    ['context.id', { businessId: 1, context: { type: 'ORDER', id: 0 } }, 'context.id must be >= 1, got 0'],
    [
      'context.id',
      { businessId: 1, context: { type: 'ORDER', id: 2 ** 53 } },
      `context.id must be at most ${MAX}`,
    ],
    [
      'context.id',
      { businessId: 1, context: { type: 'ORDER', id: 10n } },
      'context.id must be an integer, got 10n',
    ],
    ['input', null, 'input must be an object with businessId and context, got null'],
  ])('%s (case %#)', async (field, input, message) => {
    const { market, sent } = client([ok(1)]);
    const error = await rejectionOf(market.createChat(input as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    expect(error.message).toContain(message);
    expect(sent).toHaveLength(0);
  });

  it.each([
    ['signal', { signal: 'x' }],
    ['maxRetries', { maxRetries: -1 }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeout', { timeout: 5 }],
  ])('per-call option %s is checked', async (field, options) => {
    const { market, sent } = client([ok(1)]);
    const error = await rejectionOf(market.createChat(ORDER, options as never));
    expect(error).toMatchObject({ name: 'ValidationError', field });
    expect(sent).toHaveLength(0);
  });
});

describe('client options', () => {
  it.each([
    ['apiKey', {}, 'apiKey is required (or oauthToken)'],
    ['apiKey', { apiKey: undefined }, 'apiKey is required (or oauthToken)'],
    ['apiKey', { apiKey: '' }, 'apiKey must not be empty'],
    ['apiKey', { apiKey: 'a', oauthToken: 'b' }, 'apiKey and oauthToken are exclusive'],
    ['oauthToken', { oauthToken: 'OAuth abc' }, 'oauthToken must be the bare token'],
    ['baseUrl', { apiKey: 'k', baseUrl: 'http://api.example.com' }, 'baseUrl must use https'],
    ['baseUrl', { apiKey: 'k', baseUrl: 'not a url' }, 'baseUrl must be an absolute URL'],
    [
      'baseUrl',
      { apiKey: 'k', baseUrl: 'https://u:p@api.example.com' },
      'baseUrl must not contain credentials',
    ],
    [
      'baseUrl',
      { apiKey: 'k', baseUrl: 'https://h.example/?key=SECRET' },
      'baseUrl must not have a query or fragment',
    ],
    ['maxRetries', { apiKey: 'k', maxRetries: 1.5 }, 'maxRetries must be a whole number >= 0, got 1.5'],
    ['timeoutMs', { apiKey: 'k', timeoutMs: -1 }, 'timeoutMs must be a number of milliseconds > 0'],
    [
      'timeoutMs',
      { apiKey: 'k', timeoutMs: 2 ** 31 },
      'timeoutMs must be a number of milliseconds > 0 and <= 2147483647',
    ],
    [
      'maxRetryDelayMs',
      { apiKey: 'k', maxRetryDelayMs: Number.POSITIVE_INFINITY },
      'maxRetryDelayMs must be',
    ],
    ['fetch', { apiKey: 'k', fetch: 'no' }, 'fetch must be a function'],
    [
      'integration',
      { apiKey: 'k', integration: 'a\nb' },
      'integration must be 1-256 visible ASCII characters',
    ],
    ['hooks.onRetry', { apiKey: 'k', hooks: { onRetry: 1 } }, 'hooks.onRetry must be a function'],
    ['onRetry', { apiKey: 'k', onRetry: () => {} }, 'onRetry is not an option of createMarketClient'],
  ])('%s: %j', (field, options, message) => {
    const error = rejectionSync(() => createMarketClient(options as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    expect(error.message).toContain(message);
  });

  it('accepts plain http on loopback only', () => {
    for (const baseUrl of [
      'http://127.0.0.1:4010',
      'http://localhost:4010',
      'http://[::1]:4010',
      'https://x.example',
    ]) {
      expect(() => createMarketClient({ apiKey: 'k', baseUrl })).not.toThrow();
    }
  });
});

function rejectionSync(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an exception');
}
