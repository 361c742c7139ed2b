// Real data that breaks the spec here and there: one odd item must not make a page unreadable. The client
// is strict where it depends on a value (the envelope, the page token, each item's id) and passes the rest
// through as it came, reporting it to onDrift.
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, json, type Reply, rejectionOf } from '../test-support/fake-api.ts';
import type { DriftEvent } from './hooks.ts';
import {
  createMarketClient,
  type MarketClientOptions,
  UnexpectedResponseError,
  ValidationError,
} from './index.ts';

function clientOf(script: Reply[], options: Partial<MarketClientOptions> = {}) {
  const api = fakeApi(...script);
  const drift: DriftEvent[] = [];
  const market = createMarketClient({
    apiKey: 'k',
    baseUrl: 'https://api.example.test',
    fetch: api.fetch,
    maxRetries: 0,
    hooks: { onDrift: (event) => drift.push(event) },
    ...options,
  } as MarketClientOptions);
  const tokens = () => api.sent.map((request) => new URL(request.url).searchParams.get('pageToken'));
  return { market, sent: api.sent, drift, tokens };
}

const chat = (chatId: unknown, extra: Record<string, unknown> = {}) => ({
  chatId,
  context: { type: 'ORDER', orderId: 7, customer: { name: 'Anna', publicId: 'anna' } },
  type: 'CHAT',
  status: 'NEW',
  createdAt: '2026-11-25T10:00:00Z',
  updatedAt: '2026-11-25T10:00:00Z',
  ...extra,
});
const chatsPage = (chats: unknown[], paging?: unknown) =>
  json(200, { status: 'OK', result: { chats, ...(paging === undefined ? {} : { paging }) } });

const message = (messageId: unknown, extra: Record<string, unknown> = {}) => ({
  messageId,
  createdAt: '2026-11-25T10:00:00+03:00',
  sender: 'CUSTOMER',
  message: 'hello',
  ...extra,
});
const historyPage = (messages: unknown[], paging?: unknown, context: unknown = { type: 'DIRECT' }) =>
  json(200, {
    status: 'OK',
    result: { context, messages, ...(paging === undefined ? {} : { paging }) },
  });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('odd items in a page of chats', () => {
  it('pass through as they came, each reported to onDrift with its path; null optional fields are no drift', async () => {
    const odd = [
      chat(1, { orderId: null }),
      chat(2, { context: { type: 'ORDER', customer: null, campaignId: null, returnId: null } }),
      chat(3, { context: { type: 'DIRECT', customer: { name: '', publicId: null } } }),
      chat(4, { createdAt: '2026-11-25T10:00:00' }),
    ];
    const { market, drift } = clientOf([chatsPage(odd, { nextPageToken: null })]);
    const page = await market.getChats({ businessId: 12 });
    expect(page.chats).toEqual(odd);
    expect(page.nextPageToken).toBeUndefined();
    expect(drift).toEqual([
      {
        callId: expect.any(Number),
        operation: 'getChats',
        businessId: 12,
        path: 'result.chats[2].context.customer.name',
        expected: 'must be at least 1 characters (UTF-16 code units)',
        got: '',
      },
      {
        callId: expect.any(Number),
        operation: 'getChats',
        businessId: 12,
        path: 'result.chats[3].createdAt',
        expected: 'must be an RFC 3339 date-time such as 2025-11-21T09:30:00+03:00',
        got: '2026-11-25T10:00:00',
      },
    ]);
  });

  it('reports every odd field of one item, not only the first', async () => {
    const { market, drift } = clientOf([
      chatsPage([chat(1, { type: 5, status: null, updatedAt: undefined })]),
    ]);
    const page = await market.getChats({ businessId: 12 });
    expect(page.chats).toHaveLength(1);
    expect(drift.map((event) => [event.path, event.got])).toEqual([
      ['result.chats[0].updatedAt', undefined],
      ['result.chats[0].type', 5],
      ['result.chats[0].status', null],
    ]);
    expect(drift[0]?.expected).toBe('is required');
  });

  it('an item without a usable id is reported and left out; the iteration still follows the token', async () => {
    const { market, drift, tokens } = clientOf([
      chatsPage([chat(1), chat(null), chat('3'), 'junk', chat(5)], { nextPageToken: 'p2' }),
      chatsPage([chat(6)]),
    ]);
    const chats = await collect(market.iterateChats({ businessId: 12 }));
    expect(chats.map((c) => c.chatId)).toEqual([1, 5, 6]);
    expect(tokens()).toEqual([null, 'p2']);
    expect(drift.map((event) => [event.path, event.got])).toEqual([
      ['result.chats[1].chatId', null],
      ['result.chats[2].chatId', '3'],
      ['result.chats[3]', 'junk'],
    ]);
    expect(drift[0]?.expected).toBe('must be an integer; the item is left out');
    expect(drift[2]?.expected).toBe('must be an object; the item is left out');
  });

  it('a last page whose nextPageToken is "" ends the list', async () => {
    const { market, sent, drift } = clientOf([
      chatsPage([chat(1)], { nextPageToken: 'p2' }),
      chatsPage([chat(2)], { nextPageToken: '' }),
      chatsPage([chat(1)], { nextPageToken: 'p2' }),
    ]);
    expect((await collect(market.iterateChats({ businessId: 12 }))).map((c) => c.chatId)).toEqual([1, 2]);
    expect(sent).toHaveLength(2);
    expect(drift).toEqual([]);
    const single = clientOf([chatsPage([], { nextPageToken: '' })]);
    expect((await single.market.getChats({ businessId: 12 })).nextPageToken).toBeUndefined();
  });

  it('stays strict where the client depends on a value: the envelope, the list and the page token', async () => {
    const broken: Array<[Response, string]> = [
      [json(200, { status: 'OK', result: { chats: null } }), 'result.chats must be an array, got null'],
      [chatsPage([chat(1)], { nextPageToken: 5 }), 'result.paging.nextPageToken must be a string, got 5'],
      [chatsPage([chat(1)], 'p2'), 'result.paging must be an object, got "p2"'],
      [json(200, { status: 'OK', result: [] }), 'result must be an object, got an array'],
    ];
    for (const [response, problem] of broken) {
      const { market } = clientOf([response]);
      const error = await rejectionOf(market.getChats({ businessId: 12 }));
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect(error.message).toBe(`getChats: HTTP 200 body breaks the contract: body.${problem}`);
    }
  });
});

describe('the envelope of a read', () => {
  it.each([
    ['a JSON array', [], 'breaks the contract: body must be an object, got an array'],
    ['no status', { result: chat(1) }, 'breaks the contract: body.status is required'],
    [
      'a status that is not a string',
      { status: 1, result: chat(1) },
      'breaks the contract: body.status must be a string, got 1',
    ],
    [
      'a result that is not an object',
      { status: 'OK', result: 5 },
      'breaks the contract: body.result must be an object, got 5',
    ],
    ['no result', { status: 'OK' }, 'has no result'],
  ])('%s is an UnexpectedResponseError', async (_, body, problem) => {
    const { market, drift } = clientOf([json(200, body)]);
    const error = await rejectionOf(market.getChat({ businessId: 1, chatId: 1 }));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe(`getChat: HTTP 200 body ${problem}`);
    expect(drift).toEqual([]);
  });

  it('a status newer than the spec passes', async () => {
    const { market } = clientOf([json(200, { status: 'PARTIAL', result: chat(1) })]);
    await expect(market.getChat({ businessId: 1, chatId: 1 })).resolves.toEqual(chat(1));
  });
});

describe('odd messages in a chat history', () => {
  it('message: null, payload: [], an attachment URL over 2000 characters, context.customer: null', async () => {
    const longUrl = `https://files.example/${'a'.repeat(2000)}`;
    const messages = [
      message(1, { message: null }),
      message(2, { payload: [] }),
      message(3, { payload: [{ name: 'a.pdf', size: 10, url: longUrl }] }),
      message(0),
    ];
    const context = { type: 'ORDER', orderId: null, customer: null };
    const { market, drift } = clientOf([historyPage(messages, {}, context)]);
    const iterator = market.iterateChatHistory({ businessId: 12, chatId: 3 });
    const read = await collect(iterator);
    expect(read).toEqual(messages.slice(0, 3));
    expect(iterator.context).toEqual(context);
    expect(drift.map((event) => [event.operation, event.path, event.expected])).toEqual([
      ['getChatHistory', 'result.messages[3].messageId', 'must be >= 1; the item is left out'],
      ['getChatHistory', 'result.messages[1].payload', 'must have at least 1 item'],
      [
        'getChatHistory',
        'result.messages[2].payload[0].url',
        'must be at most 2000 characters (UTF-16 code units)',
      ],
    ]);
    expect(drift[2]?.got).toBe(longUrl);
  });

  it('getChatMessage passes an odd message through; one without a usable id is a broken answer', async () => {
    const odd = message(9, { createdAt: 'yesterday', payload: [] });
    const { market, drift } = clientOf([json(200, { status: 'OK', result: odd })]);
    await expect(market.getChatMessage({ businessId: 1, chatId: 2, messageId: 9 })).resolves.toEqual(odd);
    expect(drift.map((event) => event.path)).toEqual(['result.createdAt', 'result.payload']);

    const noId = clientOf([json(200, { status: 'OK', result: message(undefined) })]);
    const error = await rejectionOf(noId.market.getChatMessage({ businessId: 1, chatId: 2, messageId: 9 }));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe(
      'getChatMessage: HTTP 200 body breaks the contract: body.result.messageId is required',
    );
  });

  it('getChat passes an odd chat through and reports it', async () => {
    const odd = chat(4, { orderId: null, context: { type: 'ORDER', customer: { name: '' } } });
    const { market, drift } = clientOf([json(200, { status: 'OK', result: odd })]);
    await expect(market.getChat({ businessId: 1, chatId: 4 })).resolves.toEqual(odd);
    expect(drift.map((event) => event.path)).toEqual(['result.context.customer.name']);
  });

  it('a hook that throws does not break the read', async () => {
    const api = fakeApi(chatsPage([chat(1, { createdAt: 'x' })]));
    const onDrift = vi.fn(() => {
      throw new Error('logger down');
    });
    const market = createMarketClient({ apiKey: 'k', fetch: api.fetch, hooks: { onDrift } });
    expect((await market.getChats({ businessId: 12 })).chats).toHaveLength(1);
    expect(onDrift).toHaveBeenCalledTimes(1);
  });
});

describe('an iterator input', () => {
  it('refuses limit, pointing at pageSize, before anything is sent', () => {
    const { market, sent } = clientOf([chatsPage([chat(1)])]);
    const refusal = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return error as ValidationError;
      }
      throw new Error('not refused');
    };
    const chats = refusal(() => market.iterateChats({ businessId: 12, limit: 5 } as never));
    expect(chats.field).toBe('limit');
    expect(chats.message).toBe(
      'limit is not a field of iterateChats: the page size is pageSize (known: businessId, filter, pageSize, pageToken)',
    );
    const history = refusal(() => market.iterateChatHistory({ businessId: 1, chatId: 2, limit: 5 } as never));
    expect(history.message).toBe(
      'limit is not a field of iterateChatHistory: the page size is pageSize (known: businessId, chatId, messageIdFrom, pageSize, pageToken)',
    );
    const other = refusal(() => market.iterateChats({ businessId: 12, size: 5 } as never));
    expect(other.field).toBe('size');
    expect(other.message).toBe(
      'size is not a field of iterateChats (known: businessId, filter, pageSize, pageToken)',
    );
    expect(sent).toHaveLength(0);
  });
});
