// The mock against openapi.yaml: state, paging, filters, 404s, failNext, limits, violations; and every
// answer it gives (status, headers, body) is checked with Ajv against the spec's response for that code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerProblems } from '../../test-support/mock-answers.ts';
import { createMarketClient, DeliveryUnknownError, NotFoundError } from '../index.ts';
import { createRawClient } from '../raw/index.ts';
import { type MockMarket, type MockMarketOptions, startMockMarket } from './mock-market.ts';

let mock: MockMarket;
let answers: { operation: string; status: number; problems: string[] }[];

/** A fetch that checks each of the mock's answers against the spec, as an independent reader would. */
const checkingFetch = async (request: Request): Promise<Response> => {
  const response = await fetch(request);
  const text = await response.text();
  const operationId = mock.requests.at(-1)?.operation ?? '';
  answers.push({
    operation: operationId,
    status: response.status,
    problems: answerProblems(operationId, response, text),
  });
  return new Response(text, { status: response.status, headers: response.headers });
};

async function start(options: MockMarketOptions = {}) {
  mock = await startMockMarket(options);
  return createMarketClient({ apiKey: 'test', baseUrl: mock.url, fetch: checkingFetch, maxRetries: 0 });
}

/** The typed openapi-fetch client (`./raw`) on the running mock: sends what the engine would refuse. */
function rawClient() {
  return createRawClient({ apiKey: 'test', baseUrl: mock.url, fetch: checkingFetch });
}

beforeEach(() => {
  answers = [];
});
afterEach(async () => {
  await mock.close();
  // Every answer of every test is one the spec allows.
  expect(answers.filter((answer) => answer.problems.length > 0)).toEqual([]);
});

const order = (id: number) => ({ type: 'ORDER' as const, id });

describe('state', () => {
  it('createChat gives the same chat for the same context, a new one for another', async () => {
    const market = await start();
    const first = await market.createChat({ businessId: 1, context: order(10) });
    expect((await market.createChat({ businessId: 1, context: order(10) })).chatId).toBe(first.chatId);
    expect((await market.createChat({ businessId: 1, context: { type: 'RETURN', id: 10 } })).chatId).not.toBe(
      first.chatId,
    );
    expect((await market.createChat({ businessId: 2, context: order(10) })).chatId).not.toBe(first.chatId);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
  });

  it('a sent message and file appear in the history and as messages', async () => {
    const market = await start();
    const { chatId } = await market.createChat({ businessId: 1, context: order(10) });
    await market.sendMessageToChat({ businessId: 1, chatId, message: 'Hello' });
    await market.sendFileToChat({ businessId: 1, chatId, file: new Blob(['abc']), fileName: 'a.txt' });
    const history = await market.getChatHistory({ businessId: 1, chatId });
    expect(
      history.messages.map((m) => [m.sender, m.message, m.payload?.[0]?.name, m.payload?.[0]?.size]),
    ).toEqual([
      ['PARTNER', 'Hello', undefined, undefined],
      ['PARTNER', undefined, 'a.txt', 3],
    ]);
    const id = history.messages[0]?.messageId ?? 0;
    expect((await market.getChatMessage({ businessId: 1, chatId, messageId: id })).message).toBe('Hello');
    expect((await market.getChat({ businessId: 1, chatId })).status).toBe('WAITING_FOR_CUSTOMER');
  });

  it('unknown chats and messages get the spec 404, also in another business', async () => {
    const market = await start();
    const { chatId } = await market.createChat({ businessId: 1, context: order(10) });
    await expect(market.getChat({ businessId: 2, chatId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(market.getChatMessage({ businessId: 1, chatId, messageId: 999 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      market.sendMessageToChat({ businessId: 1, chatId: 77, message: 'x' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(answers.map((a) => a.status)).toEqual([200, 404, 404, 404]);
  });

  it('seeds chats and messages, and refuses a seed that breaks the spec', async () => {
    const market = await start({
      seed: {
        chats: [
          {
            businessId: 5,
            chatId: 42,
            context: { type: 'DIRECT' },
            messages: [{ sender: 'CUSTOMER', message: 'Hi?' }],
          },
        ],
      },
    });
    expect((await market.getChat({ businessId: 5, chatId: 42 })).status).toBe('WAITING_FOR_PARTNER');
    expect((await market.getChatHistory({ businessId: 5, chatId: 42 })).messages[0]?.message).toBe('Hi?');
    await expect(
      startMockMarket({ seed: { chats: [{ businessId: 1, context: order(1), createdAt: 'yesterday' }] } }),
    ).rejects.toThrow(/seed breaks the spec: chat 1001: \/createdAt must match format "date-time"/);
  });
});

describe('paging and filters', () => {
  it('getChats pages with tokens and filters by context type and status', async () => {
    const market = await start({
      seed: {
        chats: [1, 2, 3, 4, 5]
          .map((id) => ({ businessId: 1, context: order(id) }))
          .concat([{ businessId: 1, context: { type: 'RETURN', id: 9 }, status: 'FINISHED' } as never]),
      },
    });
    const raw = async (query: { limit?: number; pageToken?: string }, body: object) =>
      (
        await rawClient().POST('/v2/businesses/{businessId}/chats', {
          params: { path: { businessId: 1 }, query },
          body,
        })
      ).data?.result;
    const first = await raw({ limit: 4 }, {});
    expect(first?.chats.map((c) => c.chatId)).toEqual([1001, 1002, 1003, 1004]);
    const second = await raw({ limit: 4, pageToken: first?.paging?.nextPageToken ?? '' }, {});
    expect(second?.chats.map((c) => c.chatId)).toEqual([1005, 1006]);
    expect(second?.paging?.nextPageToken).toBeUndefined();
    expect((await raw({}, { contextTypes: ['RETURN'] }))?.chats.map((c) => c.chatId)).toEqual([1006]);
    expect((await raw({}, { statuses: ['NEW'], contexts: [order(2)] }))?.chats.map((c) => c.chatId)).toEqual([
      1002,
    ]);
    const all = [];
    for await (const chat of market.iterateChats({ businessId: 1, pageSize: 2 })) all.push(chat.chatId);
    expect(all).toHaveLength(6);
    const bad = await rawClient().POST('/v2/businesses/{businessId}/chats', {
      params: { path: { businessId: 1 }, query: { pageToken: 'nonsense' } },
      body: {},
    });
    expect(bad.response.status).toBe(400);
  });

  it('getChatHistory pages and starts at messageIdFrom (inclusive)', async () => {
    const messages = [1, 2, 3].map((n) => ({ messageId: 10 + n, message: `m${n}` }));
    const market = await start({
      seed: { chats: [{ businessId: 1, chatId: 7, context: order(1), messages }] },
    });
    const page = await market.getChatHistory({ businessId: 1, chatId: 7, limit: 2 });
    expect(page.messages.map((m) => m.messageId)).toEqual([11, 12]);
    const from = await market.getChatHistory({ businessId: 1, chatId: 7, messageIdFrom: 12 });
    expect(from.messages.map((m) => m.messageId)).toEqual([12, 13]);
  });
});

describe('failNext', () => {
  it('answers the code without acting: the message is not stored', async () => {
    const market = await start();
    const { chatId } = await market.createChat({ businessId: 1, context: order(1) });
    mock.failNext('sendMessageToChat', 500);
    await expect(market.sendMessageToChat({ businessId: 1, chatId, message: 'x' })).rejects.toBeInstanceOf(
      DeliveryUnknownError,
    );
    expect((await market.getChatHistory({ businessId: 1, chatId })).messages).toEqual([]);
    await market.sendMessageToChat({ businessId: 1, chatId, message: 'y' });
    expect((await market.getChatHistory({ businessId: 1, chatId })).messages.map((m) => m.message)).toEqual([
      'y',
    ]);
  });

  it('with afterActing, stores the message and still answers the code', async () => {
    const market = await start();
    const { chatId } = await market.createChat({ businessId: 1, context: order(1) });
    mock.failNext('sendMessageToChat', 500, { afterActing: true });
    await expect(market.sendMessageToChat({ businessId: 1, chatId, message: 'x' })).rejects.toBeInstanceOf(
      DeliveryUnknownError,
    );
    expect((await market.getChatHistory({ businessId: 1, chatId })).messages.map((m) => m.message)).toEqual([
      'x',
    ]);
  });

  it('refuses a code the spec does not list and an unknown operation', async () => {
    await start();
    expect(() => mock.failNext('getChat', 503)).toThrow(
      /status 503 is not an error code of getChat \(the spec has 400, 401, 403, 404, 420, 500\)/,
    );
    expect(() => mock.failNext('nope' as never, 500)).toThrow(/operation nope is not in the spec/);
  });
});

describe('limits', () => {
  it('counts the quota down in X-RateLimit-Resource-*, and answers 420 when it is used up (when asked)', async () => {
    const market = await start({ limits: { quotas: { getChat: 2 } } });
    const { chatId } = await market.createChat({ businessId: 1, context: order(1) });
    await market.getChat({ businessId: 1, chatId });
    expect(market.rateLimit).toMatchObject({ limit: 2, remaining: 1 });
    await market.getChat({ businessId: 1, chatId });
    const raw = await rawClient().GET('/v2/businesses/{businessId}/chat', {
      params: { path: { businessId: 1 }, query: { chatId } },
    });
    expect(raw.response.status).toBe(420);
    expect(raw.response.headers.get('X-RateLimit-Resource-Remaining')).toBe('0');
  });

  it('answers 420 to a fifth request in flight for one business (when asked)', async () => {
    await start({ limits: { delayMs: 300 } });
    const call = () =>
      fetch(`${mock.url}/v2/businesses/1/chats`, {
        method: 'POST',
        headers: { 'api-key': 'k', 'content-type': 'application/json' },
        body: '{}',
      });
    const responses = await Promise.all([1, 2, 3, 4, 5].map(call));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 420]);
    expect(await responses.find((r) => r.status === 420)?.json()).toEqual({
      status: 'ERROR',
      errors: [{ code: 'LIMIT_EXCEEDED', message: 'Hit rate limit of 4 parallel requests' }],
    });
  });
});

describe('answers', () => {
  it('are JSON, and a request answered leaves the in-flight count (one at a time passes)', async () => {
    await start({ limits: { inFlight: 1 } });
    for (const _ of [1, 2, 3]) {
      const response = await fetch(`${mock.url}/v2/businesses/1/chats`, {
        method: 'POST',
        headers: { 'api-key': 'k', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toMatchObject({ status: 'OK' });
    }
  });

  it('a port already in use fails the start, naming it', async () => {
    await start();
    const port = new URL(mock.url).port;
    await expect(startMockMarket({ port: Number(port) })).rejects.toThrow(
      `EADDRINUSE: address already in use 127.0.0.1:${port}`,
    );
  });
});

describe('violations', () => {
  it('a missing credential gets 401, a broken body or parameter 400; each is recorded', async () => {
    await start();
    const post = (path: string, body: string, headers: Record<string, string>) =>
      checkingFetch(
        new Request(`${mock.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        }),
      );
    expect((await post('/v2/businesses/1/chats/new', '{"context":{"type":"ORDER","id":1}}', {})).status).toBe(
      401,
    );
    expect(
      (await post('/v2/businesses/1/chats/new', '{"context":{"type":"DIRECT","id":1}}', { 'api-key': 'k' }))
        .status,
    ).toBe(400);
    expect(
      (await post('/v2/businesses/0/chats/message?chatId=1', '{"message":"x"}', { 'api-key': 'k' })).status,
    ).toBe(400);
    expect((await post('/v2/businesses/1/chats/message', '{"message":""}', { 'api-key': 'k' })).status).toBe(
      400,
    );
    expect(mock.requests.map((r) => [r.operation, r.status, r.violations.length > 0])).toEqual([
      ['createChat', 401, true],
      ['createChat', 400, true],
      ['sendMessageToChat', 400, true],
      ['sendMessageToChat', 400, true],
    ]);
    expect(mock.violations.map((v) => v.message)).toEqual([
      'no credential: send an Api-Key header (or Authorization: Bearer <OAuth token>)',
      'body: /context/type must be equal to one of the allowed values',
      'path businessId: must be >= 1',
      'query chatId: is required',
      'body: /message must NOT have fewer than 1 characters',
    ]);
  });

  it('a path or method the spec does not have gets 400 and is recorded', async () => {
    await start();
    const response = await fetch(`${mock.url}/v2/businesses/1/chats/new`, { headers: { 'api-key': 'k' } });
    expect(response.status).toBe(400);
    expect(mock.violations.map((v) => v.message)).toEqual([
      'method GET is not allowed on /v2/businesses/1/chats/new',
    ]);
  });

  it('a valid client makes no violations', async () => {
    const market = await start();
    const { chatId } = await market.createChat({ businessId: 1, context: order(1) });
    await market.sendMessageToChat({ businessId: 1, chatId, message: 'x' });
    await market.getChats({ businessId: 1 });
    expect(mock.violations).toEqual([]);
  });
});
