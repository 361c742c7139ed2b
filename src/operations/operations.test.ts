// Each operation module as a user meets it through the client: the request it sends (method, path, query,
// body), the result it makes of a 200, what it refuses before sending, and what breaks its contract.
import { describe, expect, it } from 'vitest';
import { fakeApi, json, type Reply, rejectionOf } from '../../test-support/fake-api.ts';
import {
  createMarketClient,
  DeliveryUnknownError,
  UnexpectedResponseError,
  ValidationError,
} from '../index.ts';

const BASE = 'https://api.example.test';

function clientOf(...script: Reply[]) {
  const api = fakeApi(...script);
  const market = createMarketClient({ apiKey: 'k', baseUrl: BASE, fetch: api.fetch, maxRetries: 0 });
  return { market, sent: api.sent };
}

const done = () => json(200, { status: 'OK' });
const result = (value: unknown) => json(200, { status: 'OK', result: value });

const CHAT = {
  chatId: 7,
  orderId: 55,
  context: { type: 'ORDER', orderId: 55, customer: { name: 'Анна', publicId: 'p-1' } },
  type: 'CHAT',
  status: 'NEW',
  createdAt: '2026-11-25T10:00:00Z',
  updatedAt: '2026-11-25T10:05:00Z',
};
const MESSAGE = { messageId: 900, createdAt: '2026-11-25T10:01:00Z', sender: 'CUSTOMER', message: 'Привет' };

/** The request as the server saw it: method, path with query, and the JSON body (undefined when none). */
function requestOf(sent: { method: string; url: string; body: string }[], index = 0) {
  const request = sent[index];
  if (request === undefined) throw new Error(`no request ${index}`);
  const url = new URL(request.url);
  return {
    method: request.method,
    target: `${url.pathname}${url.search}`,
    body: request.body === '' ? undefined : JSON.parse(request.body),
  };
}

async function validationOf(promise: Promise<unknown>): Promise<{ field: string; message: string }> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(ValidationError);
  return { field: (error as ValidationError).field, message: error.message };
}

describe('getChat', () => {
  it('GET /v2/businesses/{businessId}/chat?chatId=, no body; the 200 result is the chat', async () => {
    const { market, sent } = clientOf(result(CHAT));
    expect(await market.getChat({ businessId: 12, chatId: 7 })).toEqual(CHAT);
    expect(requestOf(sent)).toEqual({
      method: 'GET',
      target: '/v2/businesses/12/chat?chatId=7',
      body: undefined,
    });
  });

  it('refuses a missing or bad chatId and unknown fields, sending nothing', async () => {
    const { market, sent } = clientOf(result(CHAT));
    expect(await validationOf(market.getChat({ businessId: 12 } as never))).toMatchObject({
      field: 'chatId',
    });
    expect((await validationOf(market.getChat({ businessId: 12, chatId: 0 }))).field).toBe('chatId');
    expect((await validationOf(market.getChat({ businessId: 0, chatId: 1 }))).field).toBe('businessId');
    expect((await validationOf(market.getChat({ businessId: 1, chatId: 1, chatid: 2 } as never))).field).toBe(
      'chatid',
    );
    expect(sent).toHaveLength(0);
  });

  it('a 200 without result, or with a result that breaks the contract, is an UnexpectedResponseError', async () => {
    const { market } = clientOf(done(), result({ ...CHAT, chatId: 'seven' }));
    const missing = await rejectionOf(market.getChat({ businessId: 12, chatId: 7 }));
    expect(missing).toBeInstanceOf(UnexpectedResponseError);
    expect(missing.message).toMatch(/^getChat: .*has no result$/);
    const broken = await rejectionOf(market.getChat({ businessId: 12, chatId: 7 }));
    expect(broken).toBeInstanceOf(UnexpectedResponseError);
    expect(broken.message).toMatch(/breaks the contract: body\.result\.chatId/);
  });

  it('accepts an enum value newer than the spec (a tolerant reader)', async () => {
    const { market } = clientOf(result({ ...CHAT, status: 'SNOOZED_IN_2027' }));
    expect((await market.getChat({ businessId: 12, chatId: 7 })).status).toBe('SNOOZED_IN_2027');
  });
});

describe('getChats', () => {
  it('POST /v2/businesses/{businessId}/chats with the filter as body, limit and pageToken as query', async () => {
    const { market, sent } = clientOf(result({ chats: [CHAT], paging: { nextPageToken: 'p2' } }));
    const page = await market.getChats({
      businessId: 12,
      filter: { orderIds: [55], statuses: ['NEW'] },
      limit: 5,
      pageToken: 'p1',
    });
    expect(page).toEqual({ chats: [CHAT], nextPageToken: 'p2' });
    expect(requestOf(sent)).toEqual({
      method: 'POST',
      target: '/v2/businesses/12/chats?limit=5&pageToken=p1',
      body: { orderIds: [55], statuses: ['NEW'] },
    });
  });

  it('without filter, limit or token: an empty object as body and no query; the last page has no token', async () => {
    const { market, sent } = clientOf(result({ chats: [] }));
    expect(await market.getChats({ businessId: 12 })).toEqual({ chats: [], nextPageToken: undefined });
    expect(requestOf(sent)).toEqual({ method: 'POST', target: '/v2/businesses/12/chats', body: {} });
  });

  it('refuses a bad limit, a bad filter and unknown fields by name', async () => {
    const { market, sent } = clientOf(result({ chats: [] }));
    expect((await validationOf(market.getChats({ businessId: 12, limit: 21 }))).field).toBe('limit');
    expect((await validationOf(market.getChats({ businessId: 12, pageToken: 5 as never }))).field).toBe(
      'pageToken',
    );
    expect(
      (await validationOf(market.getChats({ businessId: 12, filter: { orderIds: [] as never } }))).field,
    ).toMatch(/^filter\.orderIds/);
    expect(
      (await validationOf(market.getChats({ businessId: 12, filter: { colour: 'red' } as never }))).field,
    ).toMatch(/^filter/);
    expect((await validationOf(market.getChats({ businessId: 12, page: 2 } as never))).field).toBe('page');
    expect((await validationOf(market.getChats(null as never))).field).toBe('input');
    expect(sent).toHaveLength(0);
  });

  it('a 200 that breaks the contract or has no result is an UnexpectedResponseError', async () => {
    const { market } = clientOf(result({ chats: { 0: CHAT } }), done());
    const broken = await rejectionOf(market.getChats({ businessId: 12 }));
    expect(broken).toBeInstanceOf(UnexpectedResponseError);
    expect(broken.message).toMatch(/^getChats: .*breaks the contract: body\.result\.chats must be an array/);
    const missing = await rejectionOf(market.getChats({ businessId: 12 }));
    expect(missing.message).toMatch(/has no result$/);
  });
});

describe('getChatHistory', () => {
  it('POST .../chats/history?chatId=&limit=&pageToken= with messageIdFrom in the body; the page with context', async () => {
    const { market, sent } = clientOf(
      result({ context: CHAT.context, messages: [MESSAGE], paging: { nextPageToken: 'h2' } }),
    );
    const page = await market.getChatHistory({
      businessId: 12,
      chatId: 7,
      messageIdFrom: 800,
      limit: 100,
      pageToken: 'h1',
    });
    expect(page).toEqual({ context: CHAT.context, messages: [MESSAGE], nextPageToken: 'h2' });
    expect(requestOf(sent)).toEqual({
      method: 'POST',
      target: '/v2/businesses/12/chats/history?chatId=7&limit=100&pageToken=h1',
      body: { messageIdFrom: 800 },
    });
  });

  it('from the first message: `{}` as body, only chatId as query; the last page has no token', async () => {
    const { market, sent } = clientOf(result({ context: { type: 'DIRECT' }, messages: [] }));
    expect(await market.getChatHistory({ businessId: 12, chatId: 7 })).toEqual({
      context: { type: 'DIRECT' },
      messages: [],
      nextPageToken: undefined,
    });
    expect(requestOf(sent)).toEqual({
      method: 'POST',
      target: '/v2/businesses/12/chats/history?chatId=7',
      body: {},
    });
  });

  it('refuses bad fields by name, sending nothing', async () => {
    const { market, sent } = clientOf(result({ context: { type: 'DIRECT' }, messages: [] }));
    const refused = async (input: object) =>
      (await validationOf(market.getChatHistory(input as never))).field;
    expect(await refused({ businessId: 12 })).toBe('chatId');
    expect(await refused({ businessId: 12, chatId: 7, limit: 101 })).toBe('limit');
    expect(await refused({ businessId: 12, chatId: 7, pageToken: 3 })).toBe('pageToken');
    expect(await refused({ businessId: 12, chatId: 7, messageIdFrom: 'x' })).toBe('messageIdFrom');
    expect(await refused({ businessId: 12, chatId: 7, messageIdfrom: 1 })).toBe('messageIdfrom');
    expect(sent).toHaveLength(0);
  });

  it('a 200 that breaks the contract or has no result is an UnexpectedResponseError', async () => {
    const { market } = clientOf(result({ context: { type: 'DIRECT' } }), done());
    const broken = await rejectionOf(market.getChatHistory({ businessId: 12, chatId: 7 }));
    expect(broken).toBeInstanceOf(UnexpectedResponseError);
    expect(broken.message).toMatch(/^getChatHistory: .*breaks the contract: body\.result\.messages/);
    expect((await rejectionOf(market.getChatHistory({ businessId: 12, chatId: 7 }))).message).toMatch(
      /has no result$/,
    );
  });
});

describe('getChatMessage', () => {
  it('GET .../chats/message?chatId=&messageId=, no body; the result is the message', async () => {
    const { market, sent } = clientOf(result(MESSAGE));
    expect(await market.getChatMessage({ businessId: 12, chatId: 7, messageId: 900 })).toEqual(MESSAGE);
    expect(requestOf(sent)).toEqual({
      method: 'GET',
      target: '/v2/businesses/12/chats/message?chatId=7&messageId=900',
      body: undefined,
    });
  });

  it('refuses a missing messageId or an unknown field; a result without messageId breaks the contract', async () => {
    const { market, sent } = clientOf(result({ ...MESSAGE, messageId: undefined }));
    expect((await validationOf(market.getChatMessage({ businessId: 12, chatId: 7 } as never))).field).toBe(
      'messageId',
    );
    expect(
      (await validationOf(market.getChatMessage({ businessId: 12, chatId: 7, messageId: 1, x: 1 } as never)))
        .field,
    ).toBe('x');
    expect(sent).toHaveLength(0);
    const broken = await rejectionOf(market.getChatMessage({ businessId: 12, chatId: 7, messageId: 900 }));
    expect(broken).toBeInstanceOf(UnexpectedResponseError);
    expect(broken.message).toMatch(/^getChatMessage: .*body\.result\.messageId is required/);
  });
});

describe('sendMessageToChat', () => {
  it('POST .../chats/message?chatId= with `{ message }`; `status: OK` is done', async () => {
    const { market, sent } = clientOf(done());
    expect(await market.sendMessageToChat({ businessId: 12, chatId: 7, message: 'Здравствуйте!' })).toBe(
      undefined,
    );
    expect(requestOf(sent)).toEqual({
      method: 'POST',
      target: '/v2/businesses/12/chats/message?chatId=7',
      body: { message: 'Здравствуйте!' },
    });
  });

  it('refuses an empty, an over-long or a missing message and unknown fields, sending nothing', async () => {
    const { market, sent } = clientOf(done());
    const refused = async (input: object) =>
      (await validationOf(market.sendMessageToChat(input as never))).field;
    expect(await refused({ businessId: 12, chatId: 7, message: '' })).toBe('message');
    expect(await refused({ businessId: 12, chatId: 7, message: 'x'.repeat(4097) })).toBe('message');
    expect(await refused({ businessId: 12, chatId: 7 })).toBe('message');
    expect(await refused({ businessId: 12, message: 'hi' })).toBe('chatId');
    expect(await refused({ businessId: 12, chatId: 7, message: 'hi', text: 'hi' })).toBe('text');
    expect(sent).toHaveLength(0);
    await market.sendMessageToChat({ businessId: 12, chatId: 7, message: 'x'.repeat(4096) });
    expect(sent).toHaveLength(1);
  });

  it('a 200 whose status is not OK may or may not be done: a DeliveryUnknownError quoting the status', async () => {
    const { market } = clientOf(json(200, { status: 'PENDING' }), json(200, {}));
    const pending = await rejectionOf(market.sendMessageToChat({ businessId: 12, chatId: 7, message: 'hi' }));
    expect(pending).toBeInstanceOf(DeliveryUnknownError);
    expect(pending.cause).toBeInstanceOf(UnexpectedResponseError);
    expect(pending.message).toMatch(/^sendMessageToChat: .*says status "PENDING", not OK: not done/);
    const none = await rejectionOf(market.sendMessageToChat({ businessId: 12, chatId: 7, message: 'hi' }));
    const nullBody = clientOf(json(200, null));
    const error = await rejectionOf(
      nullBody.market.sendMessageToChat({ businessId: 12, chatId: 7, message: 'hi' }),
    );
    expect(error).toBeInstanceOf(DeliveryUnknownError);
    expect(error.message).toMatch(/says status undefined, not OK: not done/);
    expect(none.message).toMatch(/says status undefined, not OK/);
  });
});

describe('retry policies', () => {
  const failing = () => json(503, { status: 'ERROR', errors: [{ code: 'INTERNAL', message: 'x' }] });

  it('a read is sent again after a 503; a write is not, and fails with DeliveryUnknownError', async () => {
    const api = fakeApi(failing(), result(CHAT));
    const market = createMarketClient({
      apiKey: 'k',
      baseUrl: BASE,
      fetch: api.fetch,
      maxRetries: 1,
      maxRetryDelayMs: 0,
    });
    expect(await market.getChat({ businessId: 12, chatId: 7 })).toEqual(CHAT);
    expect(api.sent).toHaveLength(2);

    const writes = fakeApi(failing(), done());
    const writer = createMarketClient({ apiKey: 'k', baseUrl: BASE, fetch: writes.fetch, maxRetries: 1 });
    const error = await rejectionOf(writer.sendMessageToChat({ businessId: 12, chatId: 7, message: 'hi' }));
    expect(error).toBeInstanceOf(DeliveryUnknownError);
    expect(writes.sent).toHaveLength(1);
  });
});

describe('createChat', () => {
  it('POST .../chats/new with `{ context }`; the result is `{ chatId }` only', async () => {
    const { market, sent } = clientOf(result({ chatId: 31, extra: 'ignored' }));
    const context = { type: 'ORDER' as const, id: 55 };
    expect(await market.createChat({ businessId: 12, context })).toEqual({ chatId: 31 });
    expect(requestOf(sent)).toEqual({
      method: 'POST',
      target: '/v2/businesses/12/chats/new',
      body: { context },
    });
  });

  it('a 200 without result, or with a chatId that breaks the contract, is an UnexpectedResponseError', async () => {
    const { market } = clientOf(done(), result({ chatId: 0 }));
    const input = { businessId: 12, context: { type: 'ORDER' as const, id: 55 } };
    expect((await rejectionOf(market.createChat(input))).message).toMatch(
      /^createChat: .*has no result\.chatId$/,
    );
    const broken = await rejectionOf(market.createChat(input));
    expect(broken).toBeInstanceOf(UnexpectedResponseError);
    expect(broken.message).toMatch(/breaks the contract: body\.result\.chatId must be >= 1/);
  });
});
