// The Redis store against a real redis-server (one per file), shared by several client instances.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundleChildren, type NodeChildren } from '../../test-support/node-child.ts';
import { type RedisServer, redisTestsRun, startRedisServer } from '../../test-support/redis-server.ts';
import { createMarketClient, type HeldEvent, RateLimitError } from '../index.ts';
import { createRedisStore, type RedisStore } from './index.ts';

const HOLDER = fileURLToPath(new URL('../../test-support/redis-slot-holder.ts', import.meta.url));
const EXIT_CHILD = fileURLToPath(new URL('../../test-support/redis-exit-child.ts', import.meta.url));
const API_KEY = 'redis-test-api-key-0123456789';
const BUSINESS = 777;
const OK_BODY = JSON.stringify({ status: 'OK', result: { chatId: 1 } });

/** A fake API shared by every client: counts requests in flight per test, answers after `delayMs`. */
function fakeApi(delayMs: number, headers: () => Record<string, string> = () => ({})) {
  const seen = { sent: 0, inFlight: 0, maxInFlight: 0 };
  const fetch = async (_request: Request): Promise<Response> => {
    seen.sent++;
    seen.inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    seen.inFlight--;
    return new Response(OK_BODY, {
      headers: { 'Content-Type': 'application/json', Date: new Date().toUTCString(), ...headers() },
    });
  };
  return { seen, fetch };
}

function client(store: RedisStore, fetch: (request: Request) => Promise<Response>, extra = {}) {
  return createMarketClient({
    apiKey: API_KEY,
    baseUrl: 'http://127.0.0.1:9',
    fetch,
    sharedLimits: store.limits,
    ...extra,
  });
}

const createChat = (market: ReturnType<typeof client>, i: number, businessId = BUSINESS) =>
  market.createChat({ businessId, context: { type: 'ORDER', id: 1000 + i } });

describe.runIf(redisTestsRun())('createRedisStore against redis-server', () => {
  let server: RedisServer;
  let admin: Redis;
  const stores: RedisStore[] = [];
  const errors: Error[] = [];
  const store = (options: Record<string, unknown> = {}) => {
    const made = createRedisStore({
      url: server.url,
      prefix: 't:',
      onError: (error) => errors.push(error),
      ...options,
    });
    stores.push(made);
    return made;
  };

  let children: Promise<NodeChildren>;

  /** Until a business holds no slot: a call's release (which carries what it learnt) has reached Redis. */
  async function released(businessId: number): Promise<void> {
    await vi.waitFor(async () => expect(await admin.zcard(`t:{b:${businessId}}:slots`)).toBe(0), {
      timeout: 5_000,
      interval: 10,
    });
  }

  beforeAll(async () => {
    children = bundleChildren([HOLDER, EXIT_CHILD]); // meanwhile
    server = await startRedisServer();
    admin = new Redis<'legacy'>(server.url, { lazyConnect: true });
    admin.on('error', () => {}); // it sees the kill test's outage too
    await admin.connect();
  }, 20_000);
  afterAll(async () => {
    await (await children)?.remove();
    await Promise.all(stores.map((s) => s.close()));
    admin?.disconnect();
    await server?.stop();
  });

  it('keeps at most 4 requests in flight for a business across three clients, each of which allows 4', async () => {
    const api = fakeApi(25);
    // A Redis slowed past the timeout by a loaded machine would mean per-process limits (4 each): not tested here.
    const seen: Error[] = [];
    const shared = () => store({ commandTimeoutMs: 5_000, onError: (error: Error) => seen.push(error) });
    const clients = [shared(), shared(), shared()].map((s) => client(s, api.fetch));
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => createChat(clients[i % 3] as ReturnType<typeof client>, i)),
    );
    expect(results).toHaveLength(30);
    expect(api.seen.sent).toBe(30);
    expect(api.seen.maxInFlight).toBe(4);
    expect(seen).toEqual([]);
  });

  it('gives a lost replica’s slots back after the lease, and not before', async () => {
    // A replica that took all 4 slots and vanished (its connection dropped, no release).
    const lost = store({ leaseMs: 600 });
    for (let i = 0; i < 4; i++) {
      const entry = await lost.limits.enter(
        BUSINESS + 1,
        'createChat',
        undefined,
        1000,
        () => new Error('t'),
      );
      expect(entry).toHaveProperty('slot');
    }
    await lost.close();
    const api = fakeApi(5);
    const started = Date.now();
    await createChat(client(store(), api.fetch), 1, BUSINESS + 1);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(400);
    expect(waited).toBeLessThan(5_000);
  });

  it('gives the slots of a replica process killed with SIGKILL back after the lease, not before', async () => {
    const child = spawn(process.execPath, [
      (await children).path(HOLDER),
      server.url,
      String(BUSINESS + 8),
      '750',
    ]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      // A child that fails to start says why here, rather than leaving the test to its timeout.
      const said = await Promise.race([
        once(child.stdout, 'data').then(([data]) => String(data)),
        once(child, 'exit').then(([code, signal]) => `exited (${code ?? signal}): ${stderr}`),
      ]);
      expect(said).toBe('held\n');
      // Past the first lease: the slots are still held only if they were renewed (every 250 ms).
      await new Promise((resolve) => setTimeout(resolve, 800));
      const api = fakeApi(5);
      const market = client(store(), api.fetch);
      const killedAt = Date.now();
      child.kill('SIGKILL');
      await createChat(market, 1, BUSINESS + 8);
      const waited = Date.now() - killedAt;
      expect(waited).toBeGreaterThanOrEqual(250); // a renewed lease (>= 500 ms left) held when it died
      expect(waited).toBeLessThan(6_000);
    } finally {
      child.kill('SIGKILL');
    }
  }, 20_000);

  it('hands a freed slot to a waiting client of another store', async () => {
    const a = store();
    const b = store();
    const held = [];
    for (let i = 0; i < 4; i++)
      held.push(await a.limits.enter(BUSINESS + 2, 'getChat', undefined, 1000, Error));
    const waiting = b.limits.enter(BUSINESS + 2, 'getChat', undefined, 5000, () => new Error('no slot'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const freedAt = Date.now();
    (held[0] as { slot: { release(): void } }).slot.release();
    expect(await waiting).toHaveProperty('slot');
    expect(Date.now() - freedAt).toBeLessThan(500); // a message, not the once-a-second check
  });

  it('shares what one client learnt of a quota window: another holds instead of sending', async () => {
    const until = new Date(Date.now() + 10_000).toUTCString();
    const exhausted = fakeApi(1, () => ({
      'X-RateLimit-Resource-Limit': '40',
      'X-RateLimit-Resource-Remaining': '0',
      'X-RateLimit-Resource-Until': until,
    }));
    await createChat(client(store(), exhausted.fetch), 1, BUSINESS + 3);
    // The release is sent after the call resolves: another replica learns of the window a round trip later.
    await released(BUSINESS + 3);
    const other = fakeApi(1);
    const held: HeldEvent[] = [];
    const b = client(store(), other.fetch, {
      maxRetryDelayMs: 100,
      hooks: { onHeld: (e: HeldEvent) => held.push(e) },
    });
    await expect(createChat(b, 2, BUSINESS + 3)).rejects.toBeInstanceOf(RateLimitError);
    expect(other.seen.sent).toBe(0);
  });

  it('hands out a window’s remaining calls once across clients', async () => {
    const until = new Date(Date.now() + 10_000).toUTCString();
    let remaining = 3;
    const api = fakeApi(30, () => ({
      'X-RateLimit-Resource-Limit': '40',
      'X-RateLimit-Resource-Remaining': String(Math.max(0, --remaining)),
      'X-RateLimit-Resource-Until': until,
    }));
    const first = client(store(), api.fetch);
    await createChat(first, 0, BUSINESS + 4); // Remaining 2 now known to all
    await released(BUSINESS + 4);
    const others = [store(), store()].map((s) => client(s, api.fetch, { maxRetryDelayMs: 200 }));
    const settled = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        createChat(others[i % 2] as ReturnType<typeof client>, i + 1, BUSINESS + 4),
      ),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(2);
    expect(api.seen.sent).toBe(3);
  });

  it('claims an event once across two stores; a failed run releases it; a commit is final', async () => {
    const [a, b] = [store(), store()];
    const answers = await Promise.all([
      a.duplicates.claim('ev-1', 5000, 'owner-a'),
      b.duplicates.claim('ev-1', 5000, 'owner-b'),
    ]);
    expect([...answers].sort()).toEqual(['new', 'running']);
    const winner = answers.indexOf('new') === 0 ? 'owner-a' : 'owner-b';
    await b.duplicates.release('ev-1', 'someone-else'); // never another owner's claim
    expect(await a.duplicates.claim('ev-1', 5000, 'owner-c')).toBe('running');
    await a.duplicates.release('ev-1', winner); // the callback failed
    expect(await b.duplicates.claim('ev-1', 5000, 'owner-d')).toBe('new');
    await b.duplicates.commit('ev-1', 'owner-d');
    expect(await a.duplicates.claim('ev-1', 5000, 'owner-e')).toBe('done');
    expect(await a.duplicates.has('ev-1')).toBe(true);
    await a.duplicates.release('ev-1', 'owner-d'); // never a done key
    expect(await b.duplicates.claim('ev-1', 5000, 'owner-f')).toBe('done');
    // A lapsed claim runs again; its late success still commits.
    expect(await a.duplicates.claim('ev-2', 50, 'slow')).toBe('new');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await b.duplicates.claim('ev-2', 5000, 'second')).toBe('new');
    await a.duplicates.commit('ev-2', 'slow');
    expect(await b.duplicates.claim('ev-2', 5000, 'third')).toBe('done');
    expect(await admin.pttl('t:dup:ev-2')).toBeGreaterThan(6 * 24 * 3600 * 1000);
  });

  it('falls back to per-process limits when Redis dies mid-burst, reports it once, and shares again after a restart', async () => {
    const seen: Error[] = [];
    const s = store({ onError: (error: Error) => seen.push(error) });
    const api = fakeApi(20);
    const market = client(s, api.fetch);
    const burst = Promise.all(Array.from({ length: 40 }, (_, i) => createChat(market, i, BUSINESS + 5)));
    await new Promise((resolve) => setTimeout(resolve, 60));
    await server.kill();
    expect(await burst).toHaveLength(40);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.message).toMatch(/per-process limits/);
    await server.restart();
    await admin.connect().catch(() => {});
    // Back in shared mode: a slot taken now is a lease in Redis.
    let entry: unknown;
    for (let i = 0; i < 50 && entry === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      entry = await s.limits.enter(BUSINESS + 5, 'createChat', undefined, 1000, Error);
    }
    expect(entry).toHaveProperty('slot');
    expect(await admin.zcard('t:{b:782}:slots')).toBe(1);
    expect(seen).toHaveLength(1);
  }, 30_000);

  it('does not let a slow Redis hold a call: over 200 ms counts as down', async () => {
    const seen: Error[] = [];
    const s = store({ onError: (error: Error) => seen.push(error) });
    await s.limits.enter(BUSINESS + 6, 'getChat', undefined, 100, Error); // connected and warm
    server.pause();
    try {
      const api = fakeApi(5);
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => createChat(client(s, api.fetch), i, BUSINESS + 6)),
      );
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(seen).toHaveLength(1);
    } finally {
      server.resume();
    }
  });

  it('works without Redis from the start: calls succeed, one report', async () => {
    const seen: Error[] = [];
    const s = createRedisStore({ url: 'redis://127.0.0.1:9', onError: (error) => seen.push(error) });
    stores.push(s);
    const api = fakeApi(5);
    await Promise.all(Array.from({ length: 6 }, (_, i) => createChat(client(s, api.fetch), i)));
    expect(seen).toHaveLength(1);
    expect(await s.duplicates.claim('x', 1000, 'o')).toBe('new');
    expect(await s.duplicates.claim('x', 1000, 'p')).toBe('running');
  });

  it('gives every key a TTL, tags one business’s keys with {b:<id>}, and stores no credential', async () => {
    const api = fakeApi(30, () => ({
      'X-RateLimit-Resource-Remaining': '30',
      'X-RateLimit-Resource-Until': new Date(Date.now() + 5000).toUTCString(),
    }));
    // Three clients (4 local slots each) for one business: 4 hold shared slots, the others queue in Redis.
    // A generous command timeout: a Redis slowed by a loaded machine would mean per-process limits, no keys.
    const shared = () => store({ commandTimeoutMs: 5_000 });
    const markets = [shared(), shared(), shared()].map((s) => client(s, api.fetch));
    const calls = Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        createChat(markets[i % 3] as (typeof markets)[0], i, BUSINESS + 7),
      ),
    );
    const snapshot = async () => {
      const keys = await admin.keys('t:*');
      const ttls = await Promise.all(keys.map((key) => admin.pttl(key)));
      const values = await Promise.all(keys.map((key) => contentOf(key)));
      return keys.map((key, i) => ({ key, ttl: ttls[i] as number, value: values[i] as string }));
    };
    const contentOf = async (key: string): Promise<string> => {
      const type = await admin.type(key);
      if (type === 'zset') return JSON.stringify(await admin.zrange(key, '0', '-1'));
      if (type === 'list') return JSON.stringify(await admin.lrange(key, 0, -1));
      if (type === 'hash') return JSON.stringify(await admin.hgetall(key));
      return String(await admin.get(key));
    };
    let during: Awaited<ReturnType<typeof snapshot>> = [];
    for (let i = 0; i < 50 && !during.some(({ key }) => key.endsWith(':queue')); i++) {
      during = await snapshot();
    }
    await calls;
    await stores.at(-1)?.duplicates.claim('ev-ttl', 1000, 'o');
    const after = await snapshot();
    const all = [...during, ...after];
    const kinds = all.map(({ key }) => key.match(/(:slots|:queue|:state|ev-ttl)$/)?.[1]);
    expect(kinds).toEqual(expect.arrayContaining([':slots', ':queue', ':state', 'ev-ttl']));
    for (const { key, ttl, value } of all) {
      if (ttl !== -2) expect(ttl, key).toBeGreaterThan(0); // -2: gone between KEYS and PTTL
      expect(key).toMatch(/^t:(\{b:\d+\}:(slots|queue|state)|dup:.+)$/);
      expect(key).not.toContain(API_KEY);
      expect(value).not.toContain(API_KEY);
      expect(value).not.toContain(API_KEY.slice(0, 12));
    }
  });

  it('lets a process exit once its calls settle and the store is closed, while Redis is down', async () => {
    const started = spawn(process.execPath, [(await children).path(EXIT_CHILD), 'redis://127.0.0.1:9']);
    const timer = setTimeout(() => started.kill('SIGKILL'), 15_000);
    let stdout = '';
    let closedAt = 0;
    started.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
      closedAt = Date.now();
    });
    const [code] = (await once(started, 'exit')) as [number | null];
    clearTimeout(timer);
    expect(stdout).toBe('closed\n');
    expect(code).toBe(0);
    // Nothing of the store keeps it alive (ioredis would wait 2 s on a socket that never connected).
    expect(Date.now() - closedAt).toBeLessThan(1_000);
  }, 20_000); // a child takes a second or more on a loaded machine; the child itself is bounded by 15 s

  it('refuses bad options with the field named', () => {
    expect(() => createRedisStore({})).toThrow(/url give exactly one of url and client/);
    expect(() => createRedisStore({ url: 'http://x' })).toThrow(/url must be a redis/);
    expect(() => createRedisStore({ url: server.url, prefix: 'a{b}' })).toThrow(/prefix/);
    expect(() => createRedisStore({ url: server.url, leaseMs: 0 })).toThrow(/leaseMs/);
    expect(() => createRedisStore({ url: server.url, urls: 'x' } as never)).toThrow(/urls is not an option/);
  });
});
