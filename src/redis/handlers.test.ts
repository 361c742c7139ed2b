// Two notification handlers, as two replicas behind a load balancer would run them, sharing one Redis store's
// duplicates (two stores on the same Redis and prefix): an event's callback runs once across both.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postNotification as post } from '../../test-support/notifications.ts';
import { type RedisServer, redisTestsRun, startRedisServer } from '../../test-support/redis-server.ts';
import { createNotificationHandler, type NotificationHandler } from '../notifications/index.ts';
import { createRedisStore, type RedisStore } from './index.ts';

const message = (messageId: string) =>
  JSON.stringify({
    notificationType: 'CHAT_MESSAGE_SENT',
    chatId: 987654321,
    messageId,
    businessId: 123456,
    sentAt: '2026-11-25T19:42:17.512Z',
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(redisTestsRun())('two notification handlers sharing store.duplicates', () => {
  let server: RedisServer;
  let admin: Redis;
  const stores: RedisStore[] = [];
  const errors: Error[] = [];

  /** A replica: its own store (own connections) on the shared Redis and prefix, its own handler. */
  const replica = (callback: (messageId: string) => Promise<void>) => {
    // A generous command timeout: a connection slowed past 200 ms by a loaded machine would mean per-process
    // dedupe, which is not what these tests are about.
    const store = createRedisStore({
      url: server.url,
      prefix: 'h:',
      commandTimeoutMs: 5_000,
      onError: (error) => errors.push(error),
    });
    stores.push(store);
    const duplicates: string[] = [];
    const handle: NotificationHandler = createNotificationHandler({
      name: 'shop',
      version: '1',
      on: { CHAT_MESSAGE_SENT: (notification) => callback(notification.messageId) },
      hooks: { onDuplicate: ({ key }) => duplicates.push(key) },
      duplicates: store.duplicates,
    });
    return { handle, duplicates };
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis<'legacy'>(server.url);
  }, 20_000);
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    admin?.disconnect();
    await server?.stop();
    expect(errors).toEqual([]); // Redis stayed up: no fallback to per-process dedupe
  });

  it('runs an event delivered to both at the same moment once: 200 after it ran, 500 (never 200 or 4xx) from the other', async () => {
    const finished: number[] = [];
    let runs = 0;
    const callback = async () => {
      runs++;
      await sleep(150);
      finished.push(Date.now());
    };
    const [a, b] = [replica(callback), replica(callback)];
    const answered: { status: number; at: number }[] = [];
    const send = async (r: typeof a) => {
      const response = await r.handle(post(message('m-concurrent')));
      answered.push({ status: response.status, at: Date.now() });
    };
    await Promise.all([send(a), send(b)]);
    expect(runs).toBe(1);
    expect(answered.map((x) => x.status).sort()).toEqual([200, 500]);
    const ok = answered.find((x) => x.status === 200);
    expect(ok?.at).toBeGreaterThanOrEqual(finished[0] as number); // 200 only once the callback ended
    // Yandex comes back after the 500: either replica now answers 200 without running the callback.
    expect((await a.handle(post(message('m-concurrent')))).status).toBe(200);
    expect((await b.handle(post(message('m-concurrent')))).status).toBe(200);
    expect(runs).toBe(1);
    expect(a.duplicates.length + b.duplicates.length).toBe(2);
  });

  it('answers a later redelivery to the other replica 200 without running the callback', async () => {
    let runs = 0;
    const callback = async () => {
      runs++;
    };
    const [a, b] = [replica(callback), replica(callback)];
    expect((await a.handle(post(message('m-sequential')))).status).toBe(200);
    expect(b.duplicates).toEqual([]);
    expect((await b.handle(post(message('m-sequential')))).status).toBe(200);
    expect(runs).toBe(1);
    expect(b.duplicates).toHaveLength(1);
    const key = (await admin.keys('h:dup:*')).find((k) => k.includes('m-sequential')) as string;
    expect(await admin.get(key)).toBe('done');
    expect(await admin.pttl(key)).toBeGreaterThan(6 * 24 * 3600 * 1000); // duplicateTtlMs, 7 days
  });

  it('lets a redelivery run the callback again after it failed on the other replica, then never again', async () => {
    let runs = 0;
    const callback = async () => {
      runs++;
      await sleep(50);
      if (runs === 1) throw new Error('the seller’s database is down');
    };
    const [a, b] = [replica(callback), replica(callback)];
    // While the failing run holds the claim, the other replica answers 500, not 200.
    const [first, meanwhile] = await Promise.all([
      a.handle(post(message('m-failing'))),
      sleep(10).then(() => b.handle(post(message('m-failing')))),
    ]);
    expect([first.status, meanwhile.status]).toEqual([500, 500]);
    expect(runs).toBe(1);
    expect((await b.handle(post(message('m-failing')))).status).toBe(200); // the claim was released
    expect(runs).toBe(2);
    expect((await a.handle(post(message('m-failing')))).status).toBe(200);
    expect(runs).toBe(2);
  });
});
