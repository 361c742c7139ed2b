// A seed that would make the mock answer what the spec does not allow fails at start, naming each problem.
import { describe, expect, it } from 'vitest';
import { addChat, emptyState, type SeedChat } from './market-state.ts';
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
