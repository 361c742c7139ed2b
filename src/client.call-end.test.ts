// callId and onCallEnd through the public client (issue 18): the hook is accepted, each page of an
// iterator is a call of its own, and input the client refuses starts no call.
import { describe, expect, it, vi } from 'vitest';
import { type CallEndEvent, createMarketClient, ValidationError } from './index.ts';
import { fakeApi, json, type Reply } from './test-support/fake-api.ts';

function clientOf(script: Reply[]) {
  const api = fakeApi(...script);
  const onCallEnd = vi.fn<(event: CallEndEvent) => void>();
  const onRequest = vi.fn<(event: { callId: number }) => void>();
  const market = createMarketClient({
    apiKey: 'k',
    baseUrl: 'https://api.example.test',
    fetch: api.fetch,
    hooks: { onCallEnd, onRequest },
  });
  return { market, sent: api.sent, onCallEnd, onRequest };
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

describe('onCallEnd through the client', () => {
  it('each page of an iterator is a call: its own callId, its own onCallEnd', async () => {
    const { market, onCallEnd, onRequest } = clientOf([chatsPage([1], 'p2'), chatsPage([2])]);
    const ids: number[] = [];
    for await (const item of market.iterateChats({ businessId: 12 })) ids.push(item.chatId);
    expect(ids).toEqual([1, 2]);
    const ends = onCallEnd.mock.calls.map(([event]) => event);
    expect(ends.map((event) => [event.operation, event.businessId, event.ok, event.attempts])).toEqual([
      ['getChats', 12, true, 1],
      ['getChats', 12, true, 1],
    ]);
    expect(ends[1]?.callId).not.toBe(ends[0]?.callId);
    expect(onRequest.mock.calls.map(([event]) => event.callId)).toEqual(ends.map((event) => event.callId));
  });

  it('input the client refuses starts no call: a ValidationError, nothing sent, no onCallEnd', async () => {
    const { market, sent, onCallEnd } = clientOf([]);
    await expect(market.getChat({ businessId: 0, chatId: 1 })).rejects.toThrow(ValidationError);
    await expect(market.getChat({ businessId: 1, chatId: 1 }, { timeoutMs: -1 })).rejects.toThrow(
      ValidationError,
    );
    expect(sent).toHaveLength(0);
    expect(onCallEnd).not.toHaveBeenCalled();
  });

  it('an onCallEnd that is not a function is refused when the client is created', () => {
    expect(() =>
      createMarketClient({ apiKey: 'k', hooks: { onCallEnd: 'log' as unknown as () => void } }),
    ).toThrow(/hooks\.onCallEnd/);
  });
});
