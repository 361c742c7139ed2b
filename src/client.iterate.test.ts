// iterateChats and iterateChatHistory: every item of every page, in order, following nextPageToken; a
// resumable pageToken; deadlineMs per page, the signal over the whole iteration; a token that comes back ends it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json, type Reply, rejectionOf } from '../test-support/fake-api.ts';
import {
  createMarketClient,
  DeadlineError,
  type MarketClientOptions,
  UnexpectedResponseError,
  ValidationError,
} from './index.ts';

afterEach(() => {
  vi.useRealTimers();
});

function clientOf(script: Reply[], options: Partial<MarketClientOptions> = {}) {
  const api = fakeApi(...script);
  const market = createMarketClient({
    apiKey: 'k',
    baseUrl: 'https://api.example.test',
    fetch: api.fetch,
    maxRetries: 0,
    ...options,
  } as MarketClientOptions);
  const queries = () => api.sent.map((request) => new URL(request.url).search);
  return { market, sent: api.sent, queries };
}

const chat = (chatId: number) => ({
  chatId,
  context: { type: 'DIRECT' },
  type: 'CHAT',
  status: 'NEW',
  createdAt: '2026-11-25T10:00:00Z',
  updatedAt: '2026-11-25T10:00:00Z',
});
const chatsPage = (ids: number[], next?: string) =>
  json(200, {
    status: 'OK',
    result: { chats: ids.map(chat), paging: next === undefined ? {} : { nextPageToken: next } },
  });

const message = (messageId: number) => ({ messageId, createdAt: '2026-11-25T10:00:00Z', sender: 'PARTNER' });
const historyPage = (orderId: number, ids: number[], next?: string) =>
  json(200, {
    status: 'OK',
    result: {
      context: { type: 'ORDER', orderId },
      messages: ids.map(message),
      ...(next === undefined ? {} : { paging: { nextPageToken: next } }),
    },
  });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('iterateChats', () => {
  it('yields every chat of every page in order, sending pageSize as limit and each next token', async () => {
    const { market, queries, sent } = clientOf([
      chatsPage([1, 2], 'p2'),
      chatsPage([3], 'p3'),
      chatsPage([4]),
    ]);
    const chats = market.iterateChats({ businessId: 12, filter: { types: ['CHAT'] }, pageSize: 2 });
    expect(sent).toHaveLength(0); // nothing is sent before the iteration starts
    expect((await collect(chats)).map((c) => c.chatId)).toEqual([1, 2, 3, 4]);
    expect(queries()).toEqual(['?limit=2', '?limit=2&pageToken=p2', '?limit=2&pageToken=p3']);
    expect(sent.map((request) => JSON.parse(request.body))).toEqual([
      { types: ['CHAT'] },
      { types: ['CHAT'] },
      { types: ['CHAT'] },
    ]);
  });

  it('pageToken is the token of the page the last item came from; resuming from it sends it first', async () => {
    const { market, queries } = clientOf([chatsPage([1], 'p2'), chatsPage([2], 'p3'), chatsPage([3])]);
    const chats = market.iterateChats({ businessId: 12 });
    expect(chats.pageToken).toBeUndefined();
    const seen: [number, string | undefined][] = [];
    for await (const item of chats) {
      seen.push([item.chatId, chats.pageToken]);
      if (item.chatId === 2) break; // nothing more is sent
    }
    expect(seen).toEqual([
      [1, undefined],
      [2, 'p2'],
    ]);
    expect(queries()).toEqual(['', '?pageToken=p2']);

    const resumed = market.iterateChats({ businessId: 12, pageToken: 'p2' });
    expect(resumed.pageToken).toBe('p2');
    expect((await collect(resumed)).map((c) => c.chatId)).toEqual([3]);
    expect(queries().slice(2)).toEqual(['?pageToken=p2']);
  });

  it('a token that comes back ends the iteration with an UnexpectedResponseError instead of looping', async () => {
    const looping = clientOf([chatsPage([1], 'a'), chatsPage([2], 'b'), chatsPage([3], 'a')]);
    const error = await rejectionOf(collect(looping.market.iterateChats({ businessId: 12 })));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe(
      'getChats: page token "a" came back a second time: the iteration stops instead of looping',
    );
    expect((error as UnexpectedResponseError).status).toBe(200);
    expect(looping.sent).toHaveLength(3);

    // The token the iteration was resumed from counts as seen.
    const back = clientOf([chatsPage([1], 'start')]);
    const resumed = back.market.iterateChats({ businessId: 12, pageToken: 'start' });
    expect(await rejectionOf(collect(resumed))).toBeInstanceOf(UnexpectedResponseError);
    expect(back.sent).toHaveLength(1);
  });

  it('refuses a bad pageSize, input or option by name before anything is sent', async () => {
    const { market, sent } = clientOf([chatsPage([1])]);
    const fieldOf = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).field;
      }
      throw new Error('not refused');
    };
    expect(fieldOf(() => market.iterateChats({ businessId: 12, pageSize: 21 }))).toBe('pageSize');
    expect(fieldOf(() => market.iterateChats({ businessId: 12, pageSize: 0 }))).toBe('pageSize');
    expect(fieldOf(() => market.iterateChats(null as never))).toBe('input');
    expect(fieldOf(() => market.iterateChats({ businessId: 0 }))).toBe('businessId');
    expect(fieldOf(() => market.iterateChats({ businessId: 1 }, { timeoutMs: 0 }))).toBe('timeoutMs');
    expect(fieldOf(() => market.iterateChats({ businessId: 1 }, { retries: 1 } as never))).toBe('retries');
    expect(fieldOf(() => market.iterateChatHistory({ businessId: 1, chatId: 2, pageSize: 101 }))).toBe(
      'pageSize',
    );
    expect(fieldOf(() => market.iterateChatHistory(undefined as never))).toBe('input');
    expect(() => market.iterateChats(null as never)).toThrow('input must be an object with businessId');
    expect(() => market.iterateChats({ businessId: 1 }, { retries: 1 } as never)).toThrow(
      'retries is not an option of iterateChats',
    );
    expect(() => market.iterateChatHistory({ businessId: 1, chatId: 1 }, { retries: 1 } as never)).toThrow(
      'retries is not an option of iterateChatHistory',
    );
    expect(sent).toHaveLength(0);
    // The largest page sizes the spec allows are accepted.
    await collect(market.iterateChats({ businessId: 12, pageSize: 20 }));
    expect(sent).toHaveLength(1);
  });

  it('each page is a call of its own: its own callId and onCallEnd', async () => {
    const ends: { callId: number; ok: boolean; attempts: number }[] = [];
    const requests: number[] = [];
    const hooks = {
      onCallEnd: (event: { callId: number; ok: boolean; attempts: number }) => ends.push(event),
      onRequest: (event: { callId: number }) => requests.push(event.callId),
    };
    const { market } = clientOf([chatsPage([1], 'p2'), chatsPage([2])], { hooks });
    expect((await collect(market.iterateChats({ businessId: 12 }))).map((c) => c.chatId)).toEqual([1, 2]);
    expect(ends.map((event) => [event.ok, event.attempts])).toEqual([
      [true, 1],
      [true, 1],
    ]);
    expect(ends[1]?.callId).not.toBe(ends[0]?.callId);
    expect(requests).toEqual(ends.map((event) => event.callId));
  });
});

describe('iterateChatHistory', () => {
  it('yields every message, sends chatId, limit, token and messageIdFrom; context is the latest page’s', async () => {
    const { market, sent, queries } = clientOf([historyPage(1, [10, 11], 'h2'), historyPage(2, [12])]);
    const history = market.iterateChatHistory({ businessId: 12, chatId: 7, messageIdFrom: 10, pageSize: 2 });
    expect(history.context).toBeUndefined();
    expect(history.pageToken).toBeUndefined();
    const seen: unknown[] = [];
    for await (const item of history) seen.push([item.messageId, history.context, history.pageToken]);
    expect(seen).toEqual([
      [10, { type: 'ORDER', orderId: 1 }, undefined],
      [11, { type: 'ORDER', orderId: 1 }, undefined],
      [12, { type: 'ORDER', orderId: 2 }, 'h2'],
    ]);
    expect(queries()).toEqual(['?chatId=7&limit=2', '?chatId=7&limit=2&pageToken=h2']);
    expect(sent.map((request) => JSON.parse(request.body))).toEqual([
      { messageIdFrom: 10 },
      { messageIdFrom: 10 },
    ]);
  });
});

describe('iterateChatHistory, a token that comes back', () => {
  it('ends the iteration with an error naming getChatHistory', async () => {
    const { market } = clientOf([historyPage(1, [1], 'a'), historyPage(1, [2], 'a')]);
    const error = await rejectionOf(collect(market.iterateChatHistory({ businessId: 12, chatId: 7 })));
    expect(error.message).toBe(
      'getChatHistory: page token "a" came back a second time: the iteration stops instead of looping',
    );
  });
});

describe('the time limits of an iteration', () => {
  it('deadlineMs bounds each page’s call, not the whole iteration', async () => {
    vi.useFakeTimers();
    const slowPage = () =>
      new Promise<Response>((resolve) => setTimeout(() => resolve(chatsPage([1], 'p2')), 600));
    const { market } = clientOf([slowPage, () => new Promise<Response>(() => {})], { deadlineMs: 1_000 });
    const outcome = rejectionOf(collect(market.iterateChats({ businessId: 12 })));
    let settled = false;
    void outcome.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(1_599);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error).toMatchObject({ limitMs: 1_000, waitingFor: 'response', attempts: 1 });
    expect(error.message).toBe(
      'getChats: gave up waiting for a response: deadlineMs (1000 ms) passed (1 attempt)',
    );
  });

  it('the time the caller spends on the items counts against no deadlineMs', async () => {
    vi.useFakeTimers();
    const { market, sent } = clientOf([
      chatsPage([1, 2, 3], 'p2'),
      chatsPage([4, 5, 6], 'p3'),
      chatsPage([7]),
    ]);
    const seen: number[] = [];
    for await (const item of market.iterateChats({ businessId: 12 }, { deadlineMs: 1_000 })) {
      seen.push(item.chatId);
      await vi.advanceTimersByTimeAsync(300); // a loop body that takes 300 ms per item
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(sent).toHaveLength(3);
  });

  it('the signal bounds the whole iteration: aborted while the caller dwelt on an item, no page is asked for', async () => {
    const { market, sent } = clientOf([historyPage(5, [1], 'p2'), historyPage(5, [2])]);
    const controller = new AbortController();
    const reason = new Error('iteration took too long');
    const iterator = market
      .iterateChatHistory({ businessId: 12, chatId: 3 }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    controller.abort(reason);
    expect(await rejectionOf(iterator.next())).toBe(reason);
    expect(sent).toHaveLength(1);
  });
});
