// A seed that would make the mock answer what the spec does not allow fails at start, naming each problem;
// ids given twice are refused, the ids the mock assigns follow the seeded ones.
import { describe, expect, it } from 'vitest';
import { addChat, addMessage, emptyState, type MessageSender, type SeedChat } from './market-state.ts';
import { checkSeed } from './seed-check.ts';

const NOW = '2026-12-01T10:00:00.000Z';
function seeded(...chats: SeedChat[]) {
  const state = emptyState();
  for (const chat of chats) addChat(state, chat, NOW);
  return () => checkSeed(state);
}

describe('checkSeed', () => {
  it('accepts chats of every context with messages and files, and no chats at all', () => {
    expect(seeded()).not.toThrow();
    expect(
      seeded(
        { businessId: 1, context: { type: 'ORDER', id: 1 }, messages: [{ message: 'hi' }] },
        { businessId: 1, context: { type: 'RETURN', id: 1 }, status: 'FINISHED', type: 'ARBITRAGE' },
        {
          businessId: 2,
          context: { type: 'DIRECT' },
          messages: [
            { sender: 'MARKET', payload: [{ name: 'a.pdf', size: 3, url: 'http://127.0.0.1/a.pdf' }] },
          ],
        },
      ),
    ).not.toThrow();
  });

  it('names every problem of every chat and message', () => {
    const check = seeded(
      { businessId: 0, chatId: 5, context: { type: 'ORDER' } },
      { businessId: 1.5, chatId: 6, context: { type: 'RETURN', id: 2 }, messages: [{ messageId: 9 }] },
      {
        businessId: 1,
        chatId: 7,
        context: { type: 'DIRECT' },
        messages: [{ messageId: 10, message: 'x', sender: 'NOBODY' as never }],
      },
    );
    expect(check).toThrow(
      new TypeError(
        'startMockMarket: the seed breaks the spec: ' +
          [
            'chat 5: businessId must be a whole number >= 1',
            'chat 5: an ORDER context needs its id',
            'chat 6: businessId must be a whole number >= 1',
            'chat 6 message 9: needs a message or a payload',
            'chat 7 message 10: /sender must be equal to one of the allowed values',
          ].join('; '),
      ),
    );
  });

  it('checks each chat against GetChatInfoDTO', () => {
    expect(
      seeded({ businessId: 1, chatId: 3, context: { type: 'ORDER', id: 1 }, createdAt: 'yesterday' }),
    ).toThrow('chat 3: /createdAt must match format "date-time"');
  });
});

describe('seeding the state', () => {
  it('refuses a chat id or a message id given twice, also across chats and businesses', () => {
    expect(() =>
      seeded(
        { businessId: 1, chatId: 5, context: { type: 'DIRECT' } },
        { businessId: 2, chatId: 5, context: { type: 'DIRECT' } },
      ),
    ).toThrow(new Error('seed: chat 5 is given twice'));
    expect(() =>
      seeded(
        { businessId: 1, context: { type: 'ORDER', id: 1 }, messages: [{ messageId: 9, message: 'a' }] },
        { businessId: 2, context: { type: 'ORDER', id: 1 }, messages: [{ messageId: 9, message: 'b' }] },
      ),
    ).toThrow(new Error('seed: message 9 is given twice'));
    expect(() =>
      seeded({
        businessId: 1,
        context: { type: 'DIRECT' },
        messages: [
          { messageId: 3, message: 'a' },
          { messageId: 3, message: 'b' },
        ],
      }),
    ).toThrow(new Error('seed: message 3 is given twice'));
  });

  it('gives ids after the highest seeded ones, and keeps what a message carries', () => {
    const state = emptyState();
    const seededChat = addChat(
      state,
      {
        businessId: 1,
        chatId: 2000,
        context: { type: 'DIRECT' },
        messages: [{ messageId: 7000, message: 'hi' }],
      },
      NOW,
    );
    const next = addChat(state, { businessId: 1, context: { type: 'RETURN', id: 4 } }, NOW);
    expect(next.chatId).toBe(2001);
    expect(next.context).toEqual({ type: 'RETURN', id: 4 });
    expect(Object.keys(seededChat.context)).toEqual(['type']);
    const file = { name: 'a.pdf', size: 3, url: 'http://127.0.0.1/a.pdf' };
    expect(addMessage(state, next, { sender: 'CUSTOMER', payload: [file] }, NOW)).toEqual({
      messageId: 7001,
      createdAt: NOW,
      sender: 'CUSTOMER',
      payload: [file],
    });
    expect(Object.keys(seededChat.messages[0] ?? {})).toEqual([
      'messageId',
      'createdAt',
      'sender',
      'message',
    ]);
  });

  it("a partner's message waits for the customer, a customer's for the partner; Market's and support's change nothing", () => {
    const state = emptyState();
    const chat = addChat(
      state,
      { businessId: 1, context: { type: 'DIRECT' }, status: 'WAITING_FOR_ARBITER' },
      NOW,
    );
    const statusAfter = (sender: MessageSender) => {
      addMessage(state, chat, { sender, message: 'x' }, NOW);
      return chat.status;
    };
    expect(statusAfter('MARKET')).toBe('WAITING_FOR_ARBITER');
    expect(statusAfter('SUPPORT')).toBe('WAITING_FOR_ARBITER');
    expect(statusAfter('CUSTOMER')).toBe('WAITING_FOR_PARTNER');
    expect(statusAfter('PARTNER')).toBe('WAITING_FOR_CUSTOMER');
    expect(statusAfter('MARKET')).toBe('WAITING_FOR_CUSTOMER');
  });
});
