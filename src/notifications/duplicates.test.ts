import { describe, expect, it } from 'vitest';
import { createMemoryDuplicateStore, notificationKey } from './duplicates.ts';
import { hash128, jsonText } from './json-text.ts';

describe('notificationKey', () => {
  it('keys chat events by their ids, arbitrage by its time too, whatever the time zone spelling', () => {
    expect(
      notificationKey({
        notificationType: 'CHAT_CREATED',
        chatId: 2,
        businessId: 1,
        createdAt: '2026-11-25T10:00:00Z',
      }),
    ).toBe('CHAT_CREATED 1/2');
    expect(
      notificationKey({
        notificationType: 'CHAT_MESSAGE_SENT',
        chatId: 2,
        businessId: 1,
        messageId: '3',
        sentAt: '2026-11-25T10:00:00Z',
      }),
    ).toBe('CHAT_MESSAGE_SENT 1/2/3');
    const started = (startedAt: string) =>
      notificationKey({ notificationType: 'CHAT_ARBITRAGE_STARTED', chatId: 2, businessId: 1, startedAt });
    expect(started('2026-11-25T10:00:00Z')).toBe(started('2026-11-25T13:00:00.000+03:00'));
    expect(started('2026-11-25T10:00:00Z')).not.toBe(started('2026-11-26T10:00:00Z'));
  });

  it('keys other types by their whole content, field order aside', () => {
    const a = notificationKey({ notificationType: 'ORDER_CREATED', orderId: 5, items: [{ b: 1, a: 2 }] });
    const b = notificationKey({ items: [{ a: 2, b: 1 }], orderId: 5, notificationType: 'ORDER_CREATED' });
    expect(a).toBe(b);
    expect(a).not.toBe(
      notificationKey({ notificationType: 'ORDER_CREATED', orderId: 6, items: [{ a: 2, b: 1 }] }),
    );
  });
});

describe('notificationKey, exactly', () => {
  it('PING by its time as an instant, or none; arbitrage finished by its time', () => {
    expect(notificationKey({ notificationType: 'PING', time: '2026-11-25T10:00:00Z' })).toBe(
      `PING ${Date.parse('2026-11-25T10:00:00Z')}`,
    );
    expect(notificationKey({ notificationType: 'PING' })).toBe('PING ');
    expect(
      notificationKey({
        notificationType: 'CHAT_ARBITRAGE_FINISHED',
        chatId: 2,
        businessId: 1,
        finishedAt: '2026-11-25T13:00:00+03:00',
      }),
    ).toBe(`CHAT_ARBITRAGE_FINISHED 1/2/${Date.parse('2026-11-25T10:00:00Z')}`);
  });

  it('other types: the type, then a 128-bit hash of canonical JSON with keys sorted at every depth', () => {
    const event = {
      notificationType: 'ORDER_CREATED',
      orderId: 5,
      items: [{ b: 1, a: 'x' }, null, [true]],
      buyer: { z: { y: 1, x: 2 } },
    };
    const canonical =
      '{"buyer":{"z":{"x":2,"y":1}},"items":[{"a":"x","b":1},null,[true]],"notificationType":"ORDER_CREATED","orderId":5}';
    expect(jsonText(event, true)).toBe(canonical);
    expect(notificationKey(event)).toBe(`ORDER_CREATED ${hash128(canonical)}`);
    expect(notificationKey({ notificationType: 'order created!' })).toMatch(/^OTHER [0-9a-f]{32}$/);
    // Arrays keep their order: a different order is a different event.
    const withItems = (items: unknown[]) => notificationKey({ notificationType: 'ORDER_CREATED', items });
    expect(withItems([1, 2])).not.toBe(withItems([2, 1]));
  });
});

describe('createMemoryDuplicateStore', () => {
  it('remembers the last maxKeys keys, forgetting the least recently added first', () => {
    const store = createMemoryDuplicateStore(2);
    store.add('a');
    store.add('b');
    store.add('a'); // refreshed
    store.add('c');
    expect(['a', 'b', 'c'].map((key) => store.has(key))).toEqual([true, false, true]);
  });
});
