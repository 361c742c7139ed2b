// What each operation does to the mock's state and answers (act, called directly: the mock answers exactly
// this once a request passed the spec's checks): filters, paging, the chat's context, 404s, sent files.
import { describe, expect, it } from 'vitest';
import type { OperationId } from './api-operations.ts';
import { type ActionInput, act } from './market-actions.ts';
import { addChat, emptyState, type MarketState, type SeedChat } from './market-state.ts';

const NOW = '2026-12-01T10:00:00.000Z';
const BASE = 'http://127.0.0.1:9';

function market(...chats: SeedChat[]) {
  const state = emptyState();
  for (const chat of chats) addChat(state, chat, NOW);
  const call = (operation: OperationId, params: Record<string, unknown>, body: unknown = {}) =>
    act(operation, state, {
      params: { businessId: 1, ...params },
      body,
      now: NOW,
      baseUrl: BASE,
    } as ActionInput);
  return { state, call };
}

const result = (answer: { body: unknown }) => (answer.body as { result: Record<string, unknown> }).result;
const chatIds = (answer: { body: unknown }) =>
  (result(answer).chats as { chatId: number }[]).map((chat) => chat.chatId);
const token = (offset: unknown) => Buffer.from(JSON.stringify({ offset })).toString('base64url');

describe('getChats', () => {
  const { call } = market(
    { businessId: 1, chatId: 1, context: { type: 'ORDER', id: 11 } },
    { businessId: 1, chatId: 2, context: { type: 'ORDER', id: 12 }, status: 'FINISHED' },
    { businessId: 1, chatId: 3, context: { type: 'RETURN', id: 11 }, type: 'ARBITRAGE' },
    { businessId: 1, chatId: 4, context: { type: 'DIRECT' } },
    { businessId: 2, chatId: 5, context: { type: 'ORDER', id: 11 } },
  );

  it.each([
    [{}, [1, 2, 3, 4]],
    [{ orderIds: [11] }, [1]],
    [{ orderIds: null, statuses: null }, [1, 2, 3, 4]],
    [{ contexts: [{ type: 'RETURN', id: 11 }] }, [3]],
    [
      {
        contexts: [
          { type: 'ORDER', id: 12 },
          { type: 'ORDER', id: 99 },
        ],
      },
      [2],
    ],
    [{ contextTypes: ['DIRECT', 'RETURN'] }, [3, 4]],
    [{ types: ['ARBITRAGE'] }, [3]],
    [{ statuses: ['FINISHED'] }, [2]],
    [{ statuses: ['NEW'], contextTypes: ['ORDER'] }, [1]],
  ])('filters %j to %j, in the business only', (filters, expected) => {
    expect(chatIds(call('getChats', {}, filters))).toEqual(expected);
  });

  it('describes each chat as GetChatInfoDTO', () => {
    const chats = result(call('getChats', {}, { contextTypes: ['ORDER', 'RETURN'] })).chats;
    expect((chats as unknown[]).slice(0, 3)).toEqual([
      {
        chatId: 1,
        orderId: 11,
        context: { type: 'ORDER', orderId: 11, customer: { name: 'Test Customer', publicId: 'customer-1' } },
        type: 'CHAT',
        status: 'NEW',
        createdAt: NOW,
        updatedAt: NOW,
      },
      expect.objectContaining({ chatId: 2, status: 'FINISHED' }),
      expect.objectContaining({
        chatId: 3,
        context: {
          type: 'RETURN',
          returnId: 11,
          customer: { name: 'Test Customer', publicId: 'customer-3' },
        },
        type: 'ARBITRAGE',
      }),
    ]);
    expect(result(call('getChats', {}, { contextTypes: ['RETURN'] })).chats).toEqual([
      expect.not.objectContaining({ orderId: expect.anything() }),
    ]);
  });

  it('pages by the limit with a token to the next page, none after the last', () => {
    const first = call('getChats', { limit: 3 });
    expect(chatIds(first)).toEqual([1, 2, 3]);
    const next = (result(first).paging as { nextPageToken: string }).nextPageToken;
    const last = call('getChats', { limit: 3, pageToken: next });
    expect(chatIds(last)).toEqual([4]);
    expect(result(last).paging).toEqual({});
    expect(result(call('getChats', { limit: 4 })).paging).toEqual({});
  });

  it('holds 10 chats a page when the limit is left out', () => {
    const { call: many } = market(
      ...Array.from({ length: 11 }, (_, i) => ({
        businessId: 1,
        context: { type: 'ORDER' as const, id: i + 1 },
      })),
    );
    const first = many('getChats', {});
    expect(chatIds(first)).toHaveLength(10);
    expect(chatIds(many('getChats', { pageToken: token(10) }))).toEqual([1011]);
  });

  it.each([
    ['not base64 JSON', 'nonsense'],
    ['a negative offset', token(-1)],
    ['a fractional offset', token(1.5)],
    ['an offset that is no number', token('1')],
    ['no offset', Buffer.from('{}').toString('base64url')],
  ])('answers 400 "Invalid page token" to %s', (_, pageToken) => {
    expect(call('getChats', { pageToken })).toEqual({
      status: 400,
      body: { status: 'ERROR', errors: [{ code: 'BAD_REQUEST', message: 'Invalid page token' }] },
    });
  });
});

describe('one chat', () => {
  const seeded = () =>
    market(
      {
        businessId: 1,
        chatId: 7,
        context: { type: 'ORDER', id: 70 },
        messages: [1, 2, 3].map((n) => ({
          messageId: 100 + n,
          sender: 'CUSTOMER' as const,
          message: `m${n}`,
        })),
      },
      { businessId: 1, chatId: 8, context: { type: 'RETURN', id: 80 } },
      { businessId: 1, chatId: 9, context: { type: 'DIRECT' } },
    );

  it('answers 404 with the chat in the message, for every operation on a chat', () => {
    const { call } = seeded();
    const notFound = {
      status: 404,
      body: { status: 'ERROR', errors: [{ code: 'NOT_FOUND', message: 'Chat 70 not found' }] },
    };
    for (const operation of ['getChat', 'getChatHistory', 'getChatMessage', 'sendMessageToChat'] as const) {
      expect(call(operation, { chatId: 70, messageId: 101 }, { message: 'x' })).toEqual(notFound);
    }
    expect(call('sendFileToChat', { chatId: 70 }, { file: { name: 'a', size: 1, type: '' } })).toEqual(
      notFound,
    );
    expect(call('getChat', { businessId: 2, chatId: 7 }).status).toBe(404);
  });

  it('getChatMessage finds a message of the chat, 404 naming both ids otherwise', () => {
    const { call } = seeded();
    expect(call('getChatMessage', { chatId: 7, messageId: 102 })).toEqual({
      status: 200,
      body: { status: 'OK', result: { messageId: 102, createdAt: NOW, sender: 'CUSTOMER', message: 'm2' } },
    });
    expect(call('getChatMessage', { chatId: 8, messageId: 102 }).body).toEqual({
      status: 'ERROR',
      errors: [{ code: 'NOT_FOUND', message: 'Message 102 not found in chat 8' }],
    });
  });

  it("getChatHistory gives the chat's context, its orderId only for an order", () => {
    const { call } = seeded();
    const customer = (chatId: number) => ({ name: 'Test Customer', publicId: `customer-${chatId}` });
    expect(result(call('getChatHistory', { chatId: 7 }))).toMatchObject({
      orderId: 70,
      context: { type: 'ORDER', orderId: 70, customer: customer(7) },
    });
    expect(result(call('getChatHistory', { chatId: 8 }))).toEqual({
      context: { type: 'RETURN', returnId: 80, customer: customer(8) },
      messages: [],
      paging: {},
    });
    expect(result(call('getChatHistory', { chatId: 9 })).context).toEqual({
      type: 'DIRECT',
      customer: customer(9),
    });
  });

  it('getChatHistory pages from messageIdFrom (inclusive), 50 a page unless limited', () => {
    const { call } = seeded();
    const ids = (answer: { body: unknown }) =>
      (result(answer).messages as { messageId: number }[]).map((message) => message.messageId);
    expect(ids(call('getChatHistory', { chatId: 7 }, { messageIdFrom: 102 }))).toEqual([102, 103]);
    const first = call('getChatHistory', { chatId: 7, limit: 2 });
    expect(ids(first)).toEqual([101, 102]);
    const nextPageToken = (result(first).paging as { nextPageToken: string }).nextPageToken;
    expect(ids(call('getChatHistory', { chatId: 7, limit: 2, pageToken: nextPageToken }))).toEqual([103]);
    expect(call('getChatHistory', { chatId: 7, pageToken: 'nonsense' }).status).toBe(400);
    const { call: long } = market({
      businessId: 1,
      chatId: 1,
      context: { type: 'DIRECT' },
      messages: Array.from({ length: 51 }, (_, i) => ({ message: `m${i}` })),
    });
    expect(ids(long('getChatHistory', { chatId: 1 }))).toHaveLength(50);
  });
});

describe('createChat and sending', () => {
  it('createChat reads the deprecated orderId as an order, the same chat as its context', () => {
    const { call, state } = market();
    expect(call('createChat', {}, { orderId: 5 })).toEqual({
      status: 200,
      body: { status: 'OK', result: { chatId: 1001 } },
    });
    expect(result(call('createChat', {}, { context: { type: 'ORDER', id: 5 } }))).toEqual({ chatId: 1001 });
    expect(state.chats.map((chat) => chat.context)).toEqual([{ type: 'ORDER', id: 5 }]);
  });

  it('a sent message joins the history as PARTNER and the chat waits for the customer', () => {
    const { call, state } = market({
      businessId: 1,
      chatId: 3,
      context: { type: 'DIRECT' },
      createdAt: '2026-01-01T00:00:00Z',
    });
    expect(call('sendMessageToChat', { chatId: 3 }, { message: 'Hello' })).toEqual({
      status: 200,
      body: { status: 'OK' },
    });
    expect(state.chats[0]).toMatchObject({
      status: 'WAITING_FOR_CUSTOMER',
      updatedAt: NOW,
      messages: [{ messageId: 5001, createdAt: NOW, sender: 'PARTNER', message: 'Hello' }],
    });
  });

  it("a sent file joins the history with its size and a download link on the mock's URL", () => {
    const { call, state } = market({ businessId: 1, chatId: 3, context: { type: 'DIRECT' } });
    call(
      'sendFileToChat',
      { chatId: 3 },
      { file: { name: 'price list.pdf', size: 42, type: 'application/pdf' } },
    );
    call('sendFileToChat', { chatId: 3 }, { file: { name: '', size: 1, type: '' } });
    expect((state as MarketState).chats[0]?.messages.map((message) => message.payload)).toEqual([
      [{ name: 'price list.pdf', size: 42, url: `${BASE}/files/3/5001/price%20list.pdf` }],
      [{ name: 'file', size: 1, url: `${BASE}/files/3/5002/file` }],
    ]);
  });
});
