// The mock's answers as a client reads them, each checked against openapi.yaml: the bodies failNext forces
// (per operation and code), its queue, afterActing, the error bodies, the rate-limit headers and quotas
// (with an injected clock), and what the mock records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProblems } from '../../test-support/mock-answers.ts';
import type { OperationId } from './api-operations.ts';
import { baseUrlOf, type MockMarket, type MockMarketOptions, startMockMarket } from './mock-market.ts';

const seed: MockMarketOptions['seed'] = {
  chats: [
    {
      businessId: 1,
      chatId: 7,
      context: { type: 'ORDER', id: 70 },
      messages: [{ messageId: 71, message: 'hi' }],
    },
  ],
};

/** A valid request of each operation, on the seeded chat 7. */
const VALID: Record<OperationId, { method: string; path: string; body?: string | FormData }> = {
  createChat: {
    method: 'POST',
    path: '/v2/businesses/1/chats/new',
    body: '{"context":{"type":"ORDER","id":70}}',
  },
  getChats: { method: 'POST', path: '/v2/businesses/1/chats', body: '{}' },
  getChat: { method: 'GET', path: '/v2/businesses/1/chat?chatId=7' },
  getChatHistory: { method: 'POST', path: '/v2/businesses/1/chats/history?chatId=7', body: '{}' },
  getChatMessage: { method: 'GET', path: '/v2/businesses/1/chats/message?chatId=7&messageId=71' },
  sendMessageToChat: {
    method: 'POST',
    path: '/v2/businesses/1/chats/message?chatId=7',
    body: '{"message":"x"}',
  },
  sendFileToChat: { method: 'POST', path: '/v2/businesses/1/chats/file/send?chatId=7', body: fileForm() },
};
const QUOTAS: Record<OperationId, number> = {
  createChat: 1000,
  getChats: 5000,
  getChat: 1000,
  getChatHistory: 10000,
  getChatMessage: 1000,
  sendMessageToChat: 1000,
  sendFileToChat: 1000,
};
const OPERATIONS = Object.keys(VALID) as OperationId[];

function fileForm() {
  const form = new FormData();
  form.append('file', new Blob(['abc'], { type: 'text/plain' }), 'a.txt');
  return form;
}

interface Read {
  status: number;
  body: { status: string; result?: Record<string, unknown>; errors?: { code: string; message: string }[] };
  headers: Headers;
  problems: string[];
}

/** Calls the mock as a client would and reads the answer, with what it breaks of the spec. */
async function call(
  mock: MockMarket,
  operation: OperationId,
  override: { path?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Read> {
  const valid = VALID[operation];
  const body = override.body ?? (operation === 'sendFileToChat' ? fileForm() : valid.body);
  const response = await fetch(`${mock.url}${override.path ?? valid.path}`, {
    method: valid.method,
    headers: {
      'api-key': 'k',
      ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}),
      ...override.headers,
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: JSON.parse(text),
    headers: response.headers,
    problems: answerProblems(operation, response, text),
  };
}

const historyTexts = async (mock: MockMarket) => {
  const messages = (await call(mock, 'getChatHistory')).body.result?.messages ?? [];
  return (messages as { message?: string }[]).map((message) => message.message ?? 'a file');
};

describe('failNext', () => {
  let mock: MockMarket;
  beforeAll(async () => {
    mock = await startMockMarket({ seed });
  });
  afterAll(() => mock.close());

  it.each(OPERATIONS)('%s: a forced 420 is the spec example of its own quota', async (operation) => {
    mock.failNext(operation, 420);
    const answer = await call(mock, operation);
    expect(answer).toMatchObject({
      status: 420,
      body: {
        status: 'ERROR',
        errors: [
          {
            code: 'LIMIT_EXCEEDED',
            message: `Hit rate limit of ${QUOTAS[operation]} requests per 1 hour for ${operation}`,
          },
        ],
      },
      problems: [],
    });
    expect(answer.headers.get('X-RateLimit-Resource-Limit')).toBe(String(QUOTAS[operation]));
  });

  it('forces the first spec example where none names the operation', async () => {
    mock.failNext('getChat', 404);
    mock.failNext('getChat', 500);
    expect((await call(mock, 'getChat')).body.errors).toEqual([
      { code: 'NOT_FOUND', message: 'Order 5123456789 not found' },
    ]);
    expect((await call(mock, 'getChat')).body.errors).toEqual([
      { code: 'INTERNAL_ERROR', message: 'Internal server error, please try again later' },
    ]);
  });

  it('queues per operation and spends a failure only on a valid call', async () => {
    mock.failNext('getChat', 403);
    mock.failNext('getChat', 500);
    expect((await call(mock, 'getChats')).status).toBe(200);
    expect((await call(mock, 'getChat', { path: '/v2/businesses/1/chat' })).status).toBe(400);
    expect((await call(mock, 'getChat')).status).toBe(403);
    expect((await call(mock, 'getChat')).status).toBe(500);
    expect((await call(mock, 'getChat')).status).toBe(200);
  });

  it('without afterActing neither sends nor creates; with it, does both and still answers the code', async () => {
    mock.failNext('sendFileToChat', 500);
    mock.failNext('sendMessageToChat', 500, { afterActing: false });
    mock.failNext('createChat', 500);
    const before = await historyTexts(mock);
    expect((await call(mock, 'sendFileToChat')).status).toBe(500);
    expect((await call(mock, 'sendMessageToChat')).status).toBe(500);
    const unknownOrder = '{"context":{"type":"ORDER","id":99}}';
    expect((await call(mock, 'createChat', { body: unknownOrder })).status).toBe(500);
    expect(await historyTexts(mock)).toEqual(before);
    expect((await call(mock, 'getChats')).body.result?.chats).toHaveLength(1);

    mock.failNext('sendFileToChat', 500, { afterActing: true });
    mock.failNext('createChat', 500, { afterActing: true });
    expect((await call(mock, 'sendFileToChat')).status).toBe(500);
    expect((await call(mock, 'createChat', { body: unknownOrder })).status).toBe(500);
    expect(await historyTexts(mock)).toEqual([...before, 'a file']);
    const created = (await call(mock, 'createChat', { body: unknownOrder })).body.result?.chatId;
    expect((await call(mock, 'getChats')).body.result?.chats).toEqual([
      expect.objectContaining({ chatId: 7 }),
      expect.objectContaining({ chatId: created, orderId: 99 }),
    ]);
  });
});

describe('error answers and records', () => {
  let mock: MockMarket;
  beforeAll(async () => {
    mock = await startMockMarket({ seed });
  });
  afterAll(() => mock.close());

  it('401 names the credential problem; 400 joins every violation; both are recorded', async () => {
    const noKey = await call(mock, 'getChat', { headers: { 'api-key': '' } });
    expect(noKey).toMatchObject({
      status: 401,
      body: { status: 'ERROR', errors: [{ code: 'UNAUTHORIZED', message: 'Api-Key header is empty' }] },
      problems: [],
    });
    const bad = await call(mock, 'sendMessageToChat', { path: '/v2/businesses/0/chats/message', body: '{}' });
    expect(bad).toMatchObject({
      status: 400,
      body: {
        status: 'ERROR',
        errors: [
          {
            code: 'BAD_REQUEST',
            message:
              "path businessId: must be >= 1; query chatId: is required; body: (root) must have required property 'message'",
          },
        ],
      },
      problems: [],
    });
    expect(mock.violations.slice(-4)).toEqual([
      {
        operation: 'getChat',
        method: 'GET',
        path: '/v2/businesses/1/chat',
        message: 'Api-Key header is empty',
      },
      ...[
        'path businessId: must be >= 1',
        'query chatId: is required',
        "body: (root) must have required property 'message'",
      ].map((message) => ({
        operation: 'sendMessageToChat',
        method: 'POST',
        path: '/v2/businesses/0/chats/message',
        message,
      })),
    ]);
  });

  it('a path the spec does not have gets 400 without rate-limit headers, recorded with no operation', async () => {
    const response = await fetch(`${mock.url}/v2/nothing?x=1`, { method: 'POST', body: 'raw' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      status: 'ERROR',
      errors: [{ code: 'BAD_REQUEST', message: 'no operation of the spec has the path /v2/nothing' }],
    });
    expect(response.headers.get('X-RateLimit-Resource-Limit')).toBeNull();
    expect(mock.requests.at(-1)).toEqual({
      operation: undefined,
      method: 'POST',
      path: '/v2/nothing',
      query: { x: '1' },
      body: undefined,
      violations: ['no operation of the spec has the path /v2/nothing'],
      status: 0,
    });
  });

  it('records a valid call with its query, body and status', async () => {
    await call(mock, 'sendMessageToChat');
    await call(mock, 'sendFileToChat');
    expect(mock.requests.slice(-2)).toEqual([
      {
        operation: 'sendMessageToChat',
        method: 'POST',
        path: '/v2/businesses/1/chats/message',
        query: { chatId: '7' },
        body: { message: 'x' },
        violations: [],
        status: 200,
      },
      expect.objectContaining({
        body: { file: { name: 'a.txt', size: 3, type: 'text/plain' } },
        status: 200,
      }),
    ]);
  });
});

describe('rate limits', () => {
  const T0 = Date.parse('2026-12-01T10:00:00Z');
  let time = T0;
  let mock: MockMarket;
  beforeAll(async () => {
    mock = await startMockMarket({ seed, now: () => new Date(time), limits: { quotas: { getChat: 2 } } });
  });
  afterAll(() => mock.close());

  const limitHeaders = (answer: Read) =>
    ['Limit', 'Remaining', 'Until'].map((name) => answer.headers.get(`X-RateLimit-Resource-${name}`));

  it('counts each operation and business down, errors too, until the hour is over, then 420', async () => {
    const until = new Date(T0 + 3_600_000).toUTCString();
    expect(limitHeaders(await call(mock, 'getChat'))).toEqual(['2', '1', until]);
    expect(limitHeaders(await call(mock, 'getChats'))).toEqual(['5000', '4999', until]);
    time += 1000;
    const notFound = await call(mock, 'getChat', { path: '/v2/businesses/1/chat?chatId=8' });
    expect([notFound.status, ...limitHeaders(notFound)]).toEqual([404, '2', '0', until]);
    time = T0 + 3_599_999;
    const over = await call(mock, 'getChat');
    expect(over).toMatchObject({
      status: 420,
      body: {
        errors: [{ code: 'LIMIT_EXCEEDED', message: 'Hit rate limit of 2 requests per 1 hour for getChat' }],
      },
      problems: [],
    });
    expect(limitHeaders(over)).toEqual(['2', '0', until]);
    const otherBusiness = await call(mock, 'getChat', { path: '/v2/businesses/2/chat?chatId=7' });
    expect([otherBusiness.status, ...limitHeaders(otherBusiness)]).toEqual([
      404,
      '2',
      '1',
      new Date(time + 3_600_000).toUTCString(),
    ]);
    time = T0 + 3_600_000;
    expect(limitHeaders(await call(mock, 'getChat'))).toEqual([
      '2',
      '1',
      new Date(T0 + 7_200_000).toUTCString(),
    ]);
  });
});

describe('the mock itself', () => {
  it('answers 500 INTERNAL_ERROR, saying why, when it fails', async () => {
    const mock = await startMockMarket({ now: () => new Date(Number.NaN) });
    try {
      const answer = await call(mock, 'getChats');
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({
        status: 'ERROR',
        errors: [{ code: 'INTERNAL_ERROR', message: 'RangeError: Invalid time value' }],
      });
    } finally {
      await mock.close();
    }
  });

  it.each([
    ['0.0.0.0', 'http://127.0.0.1:8080'],
    ['::', 'http://127.0.0.1:8080'],
    ['::1', 'http://[::1]:8080'],
    ['localhost', 'http://localhost:8080'],
  ])('listening on %s, is reached at %s', (host, url) => {
    expect(baseUrlOf(host, 8080)).toBe(url);
  });

  it.each([
    ['localhost', /^http:\/\/localhost:\d+$/],
    ['::1', /^http:\/\/\[::1\]:\d+$/],
  ])('on host %s gives a URL a client can use', async (host, url) => {
    const mock = await startMockMarket({ host });
    try {
      expect(mock.url).toMatch(url);
      expect((await call(mock, 'getChats')).status).toBe(200);
    } finally {
      await mock.close();
    }
  });
});
