// Issue 15's notification items: bounded keys, deep nesting, stuck callbacks (claims with a lease), TRACE.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHAT_MESSAGE as MESSAGE, postNotification as post } from '../../test-support/notifications.ts';
import { createMemoryDuplicateStore, notificationKey } from './duplicates.ts';
import { createNotificationHandler, type NotificationHandlerOptions } from './handler.ts';
import { toNodeListener } from './node-listener.ts';

const handler = (options: Partial<NotificationHandlerOptions> = {}) =>
  createNotificationHandler({ name: 'shop', version: '1', on: {}, ...options });

afterEach(() => {
  vi.useRealTimers();
});

describe('keys of unknown types (issue 15, item 11)', () => {
  it('are short for a 60 KB notification and still tell content apart', () => {
    const big = (n: number) => ({ notificationType: 'ORDER_CREATED', n, data: 'x'.repeat(60_000) });
    const key = notificationKey(big(1));
    expect(key.length).toBeLessThanOrEqual(100);
    expect(key).toMatch(/^ORDER_CREATED [0-9a-f]{32}$/);
    expect(notificationKey(big(2))).not.toBe(key);
    expect(notificationKey({ data: 'x'.repeat(60_000), n: 1, notificationType: 'ORDER_CREATED' })).toBe(key);
  });

  it('are bounded for a huge type name and a huge messageId too', () => {
    expect(notificationKey({ notificationType: 'X'.repeat(50_000) }).length).toBeLessThanOrEqual(100);
    const long = notificationKey({ ...MESSAGE, messageId: '1'.repeat(50_000) } as never);
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long).not.toBe(notificationKey({ ...MESSAGE, messageId: '1'.repeat(50_001) } as never));
  });

  it('the default store holds at most maxKeys keys of bounded size', async () => {
    const store = createMemoryDuplicateStore(10);
    for (let i = 0; i < 50; i += 1) {
      const key = notificationKey({ notificationType: 'ORDER_X', i, data: 'y'.repeat(60_000) });
      expect(store.claim(key, 1000, `o${i}`)).toBe('new');
      store.commit(key, `o${i}`);
    }
    expect(store.size).toBe(10);
  });
});

describe('deep nesting (item 12)', () => {
  const deep = (levels: number) =>
    `{"notificationType":"ORDER_DEEP","x":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;

  it('a 5,000-level unknown notification is answered 200 and reaches onOther', async () => {
    const onOther = vi.fn();
    const answer = await handler({ onOther })(post(deep(5_000)));
    expect(answer.status).toBe(200);
    expect(onOther).toHaveBeenCalledOnce();
  });

  it('behind a parser that read the body already (express.json()), too', async () => {
    const onOther = vi.fn();
    const listener = toNodeListener(handler({ onOther }));
    const response = { statusCode: 0, headers: {} as Record<string, string>, body: '' };
    await listener(
      {
        method: 'POST',
        url: '/notification',
        headers: { 'content-type': 'application/json' },
        body: JSON.parse(deep(5_000)),
        readableEnded: true,
        async *[Symbol.asyncIterator]() {},
      },
      {
        set statusCode(value: number) {
          response.statusCode = value;
        },
        get statusCode() {
          return response.statusCode;
        },
        setHeader: (name: string, value: string) => {
          response.headers[name] = value;
        },
        end: (chunk: string) => {
          response.body = chunk;
        },
      },
    );
    expect(response.statusCode).toBe(200);
    expect(onOther).toHaveBeenCalledOnce();
  });

  it('the handler never rejects: a body stream that errors gets 500', async () => {
    const body = new ReadableStream({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    const request = new Request('http://localhost/notification', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    const answer = await handler()(request);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toMatchObject({ error: { type: 'UNKNOWN' } });
  });
});

describe('a callback that never settles (item 13)', () => {
  it('a redelivery after timeoutMs + claimGraceMs runs the callback again; a late success still commits', async () => {
    vi.useFakeTimers();
    const resolvers: Array<() => void> = [];
    const callback = vi.fn(() => new Promise<void>((resolve) => resolvers.push(resolve)));
    const handle = handler({ on: { CHAT_MESSAGE_SENT: callback }, timeoutMs: 1000, claimGraceMs: 500 });
    const first = handle(post(JSON.stringify(MESSAGE)));
    await vi.advanceTimersByTimeAsync(1000);
    expect((await first).status).toBe(500);
    // Within the lease, a redelivery waits for the stuck run within its own budget, then answers 500.
    const second = handle(post(JSON.stringify(MESSAGE)));
    await vi.advanceTimersByTimeAsync(400);
    expect(callback).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await second).status).toBe(500);
    // The lease (1000 + 500 ms) has lapsed: the callback runs again.
    const third = handle(post(JSON.stringify(MESSAGE)));
    await vi.advanceTimersByTimeAsync(10);
    expect(callback).toHaveBeenCalledTimes(2);
    resolvers[1]?.();
    expect((await third).status).toBe(200);
    // The first run succeeding late changes nothing bad: the event stays done.
    resolvers[0]?.();
    await vi.advanceTimersByTimeAsync(10);
    const fourth = await handle(post(JSON.stringify(MESSAGE)));
    expect(fourth.status).toBe(200);
    expect(callback).toHaveBeenCalledTimes(2);
  });

  it('a late success of a lapsed run commits the key', async () => {
    vi.useFakeTimers();
    let finish = () => {};
    const callback = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const handle = handler({ on: { CHAT_MESSAGE_SENT: callback }, timeoutMs: 100, claimGraceMs: 0 });
    const first = handle(post(JSON.stringify(MESSAGE)));
    await vi.advanceTimersByTimeAsync(200);
    expect((await first).status).toBe(500);
    finish();
    await vi.advanceTimersByTimeAsync(1);
    expect((await handle(post(JSON.stringify(MESSAGE)))).status).toBe(200);
    expect(callback).toHaveBeenCalledOnce();
  });

  it('a claim held by another process answers 500 at once, never 200 or 4xx', async () => {
    const store = { claim: vi.fn(() => 'running' as const), commit: vi.fn(), release: vi.fn() };
    const callback = vi.fn();
    const answer = await handler({ on: { CHAT_MESSAGE_SENT: callback }, duplicates: store })(
      post(JSON.stringify(MESSAGE)),
    );
    expect(answer.status).toBe(500);
    expect(callback).not.toHaveBeenCalled();
    expect(store.claim).toHaveBeenCalledWith(expect.any(String), 9_000 + 3_000, expect.any(String));
  });

  it('a failed callback releases its claim; a success commits it, each with the claim owner', async () => {
    const store = { claim: vi.fn(() => 'new' as const), commit: vi.fn(), release: vi.fn() };
    let fail = true;
    const callback = vi.fn(() => {
      if (fail) throw new Error('down');
    });
    const handle = handler({ on: { CHAT_MESSAGE_SENT: callback }, duplicates: store });
    expect((await handle(post(JSON.stringify(MESSAGE)))).status).toBe(500);
    const owner1 = store.claim.mock.calls[0]?.[2 as never];
    expect(store.release).toHaveBeenCalledWith('CHAT_MESSAGE_SENT 123456/987654321/5123456001', owner1);
    fail = false;
    expect((await handle(post(JSON.stringify(MESSAGE)))).status).toBe(200);
    const owner2 = store.claim.mock.calls[1]?.[2 as never];
    expect(owner2).not.toBe(owner1);
    expect(store.commit).toHaveBeenCalledWith('CHAT_MESSAGE_SENT 123456/987654321/5123456001', owner2);
  });

  it('the memory store: claims lapse, only their owner releases them, commits always count', () => {
    vi.useFakeTimers();
    const store = createMemoryDuplicateStore();
    expect(store.claim('k', 100, 'a')).toBe('new');
    expect(store.claim('k', 100, 'b')).toBe('running');
    store.release('k', 'b');
    expect(store.claim('k', 100, 'b')).toBe('running');
    vi.advanceTimersByTime(100);
    expect(store.claim('k', 100, 'b')).toBe('new');
    store.release('k', 'a');
    expect(store.claim('k', 100, 'c')).toBe('running');
    store.commit('k', 'a');
    expect(store.claim('k', 100, 'c')).toBe('done');
    store.release('k', 'b');
    expect(store.claim('k', 100, 'c')).toBe('done');
    expect(store.has('k')).toBe(true);
  });
});

describe('TRACE (item 14)', () => {
  it('toNodeListener answers 405 with Allow: POST', async () => {
    const response = { statusCode: 0, headers: {} as Record<string, string> };
    await toNodeListener(handler())(
      { method: 'TRACE', url: '/notification', headers: {}, async *[Symbol.asyncIterator]() {} },
      {
        set statusCode(value: number) {
          response.statusCode = value;
        },
        get statusCode() {
          return response.statusCode;
        },
        setHeader: (name: string, value: string) => {
          response.headers[name] = value;
        },
        end: () => {},
      },
    );
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });
});

describe('claim options', () => {
  it('refuses a bad claimGraceMs or duplicates store, naming the option; accepts a grace of 0', () => {
    expect(() => handler({ claimGraceMs: -1 })).toThrow(/claimGraceMs must be an integer >= 0, got -1/);
    expect(() => handler({ claimGraceMs: 0 })).not.toThrow();
    expect(() => handler({ duplicates: {} as never })).toThrow(/duplicates must be false or a store/);
  });

  it('an older { has, add } store still works: commit adds the key, a repeat is a duplicate', async () => {
    const keys = new Set<string>();
    const store = { has: (key: string) => keys.has(key), add: (key: string) => void keys.add(key) };
    const callback = vi.fn();
    const handle = handler({ on: { CHAT_MESSAGE_SENT: callback }, duplicates: store });
    expect((await handle(post(JSON.stringify(MESSAGE)))).status).toBe(200);
    expect((await handle(post(JSON.stringify(MESSAGE)))).status).toBe(200);
    expect(callback).toHaveBeenCalledOnce();
    expect([...keys]).toEqual(['CHAT_MESSAGE_SENT 123456/987654321/5123456001']);
  });
});
