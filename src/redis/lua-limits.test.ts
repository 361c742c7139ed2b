// The shared limits' Lua scripts run against a real redis-server (one for the file): slots as leases
// handed out first come first served, quota windows merged and counted against the calls in flight, the
// in-flight limit learnt from 420s, and a TTL on every key. RedisLimits' side is in redis-limits*.test.ts.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RedisServer, redisTestsRun, startRedisServer } from '../../test-support/redis-server.ts';
import { CHECK, ENTER, LEAVE, RELEASE, RENEW } from './lua-limits.ts';

const [SLOTS, QUEUE, STATE] = ['l:{b:1}:slots', 'l:{b:1}:queue', 'l:{b:1}:state'];
const LEASE = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(redisTestsRun())('the shared limits’ scripts', () => {
  let server: RedisServer;
  let redis: Redis;
  let listener: Redis;
  const messages: string[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis<'legacy'>(server.url);
    listener = new Redis<'legacy'>(server.url);
    listener.on('message', (channel: string, message: string) => messages.push(`${channel}: ${message}`));
    await listener.subscribe('ch');
  }, 20_000);
  afterAll(async () => {
    redis?.disconnect();
    listener?.disconnect();
    await server?.stop();
  });
  beforeEach(async () => {
    await redis.flushdb();
    messages.length = 0;
  });

  const run = (source: string, args: (string | number)[]) =>
    redis.eval(source, 3, SLOTS, QUEUE, STATE, ...args) as Promise<unknown>;
  const enter = (token: string, o: { op?: string; now?: number; lease?: number; wait?: number } = {}) =>
    run(ENTER, [token, o.op ?? 'getChat', o.now ?? Date.now(), 4, o.lease ?? LEASE, o.wait ?? 5_000, 'ch']);
  const release = (member: string, outcome = 'ok', observed: (string | number)[] = [], now = Date.now()) =>
    run(RELEASE, [member, outcome, now, 4, LEASE, ...observed]);
  const check = (member: string, entry: string) => run(CHECK, [member, entry, Date.now(), 4, LEASE]);
  /** Published messages arrive just after the script that sent them. */
  const published = async () => {
    await redis.ping();
    await sleep(10);
    return [...messages];
  };
  const fill = async (n = 4, o: Parameters<typeof enter>[1] = {}) => {
    for (let i = 1; i <= n; i++) expect(await enter(`t${i}`, o)).toEqual(['go']);
  };

  it('hands out 4 slots, queues the next callers in order, and gives a freed slot to the first of them', async () => {
    await fill();
    const [word, entry] = (await enter('t5')) as [string, string];
    expect(word).toBe('queued');
    expect(entry).toMatch(/^t5\|getChat\|\d+\|ch$/);
    expect(await enter('t6')).toEqual(['queued', expect.stringMatching(/^t6\|/)]);
    expect(await release('t9|getChat')).toBe(0); // not held: frees nothing
    expect(await published()).toEqual([]);
    expect(await release('t1|getChat')).toBe(1);
    expect(await published()).toEqual(['ch: t5|getChat go']);
    expect(await redis.zscore(SLOTS, 't5|getChat')).not.toBeNull();
    expect(await check('t5|getChat', entry)).toBe('go');
    expect(await redis.lrange(QUEUE, 0, -1)).toEqual([expect.stringMatching(/^t6\|/)]);
    expect(await check('t6|getChat', (await redis.lindex(QUEUE, 0)) as string)).toBe('queued');
    expect(await redis.zcard(SLOTS)).toBe(4);
  });

  it('keeps a newcomer behind the waiters when a lease ends, and frees the slots of a lapsed lease', async () => {
    await fill(4, { lease: 30 });
    const [, entry] = (await enter('t5')) as [string, string];
    await sleep(40); // the 4 leases lapsed (their holder vanished)
    expect(await enter('t6')).toEqual(['go']);
    expect(await published()).toEqual(['ch: t5|getChat go']); // t5 went first
    expect(await redis.zrange(SLOTS, '0', '-1')).toEqual(
      expect.arrayContaining(['t5|getChat', 't6|getChat']),
    );
    expect(await redis.zcard(SLOTS)).toBe(2);
    expect(await check('t5|getChat', entry)).toBe('go');
  });

  it('lets a waiter find its own slot when its lease check comes first', async () => {
    await fill(4, { lease: 30 });
    const [, entry] = (await enter('t5')) as [string, string];
    await sleep(40);
    expect(await check('t5|getChat', entry)).toBe('go');
    expect(await published()).toEqual([]); // told by its own check, not by a message
  });

  it('drops a waiter whose wait ended; it finds itself gone', async () => {
    await fill();
    const [, entry] = (await enter('t5', { wait: 1 })) as [string, string];
    await sleep(5);
    await release('t1|getChat');
    expect(await published()).toEqual([]);
    expect(await redis.zcard(SLOTS)).toBe(3);
    expect(await check('t5|getChat', entry)).toBe('gone');
  });

  it('takes a waiter that leaves out of the queue, frees a slot it was granted, and hands it on', async () => {
    await fill();
    const [, e5] = (await enter('t5')) as [string, string];
    const [, e6] = (await enter('t6')) as [string, string];
    expect(await run(LEAVE, ['t5|getChat', e5, Date.now(), 4, LEASE])).toBe(1);
    expect(await check('t5|getChat', e5)).toBe('gone');
    await release('t1|getChat');
    expect(await published()).toEqual(['ch: t6|getChat go']);
    // Granted, then it gives up: its slot goes to the next.
    const [, e7] = (await enter('t7')) as [string, string];
    await run(LEAVE, ['t6|getChat', e6, Date.now(), 4, LEASE]);
    expect(await published()).toEqual(['ch: t6|getChat go', 'ch: t7|getChat go']);
    expect(await check('t7|getChat', e7)).toBe('go');
    expect(await redis.zcard(SLOTS)).toBe(4);
  });

  it('holds a call whose window has no calls left until the window ends, and sends again after it', async () => {
    const now = Date.now();
    await redis.hset(STATE, 'w:createChat', now + 10_000, 'r:createChat', 0);
    expect(await enter('t1', { op: 'createChat', now })).toEqual(['hold', String(now + 10_000)]);
    expect(await enter('t2', { op: 'getChat', now })).toEqual(['go']); // another method's window
    expect(await enter('t3', { op: 'createChat', now: now + 10_000 })).toEqual(['go']);
  });

  it('sends no more calls of a window than its Remaining, counting those in flight', async () => {
    const now = Date.now();
    const until = now + 10_000;
    await redis.hset(STATE, 'w:createChat', until, 'r:createChat', 2, 'u:createChat', 500);
    expect(await enter('t1', { op: 'createChat', now })).toEqual(['go']);
    expect(await enter('t2', { op: 'createChat', now })).toEqual(['go']);
    const [word, entry] = (await enter('t3', { op: 'createChat', now })) as [string, string];
    expect(word).toBe('queued'); // 2 in flight may use the last 2: wait for their answers
    expect(await enter('t4', { op: 'getChat', now })).toEqual(['queued', expect.any(String)]); // FIFO
    await release('t1|createChat', 'ok', ['createChat', 500, until, 1], now);
    expect(await published()).toEqual([]); // 1 left, 1 in flight: still waits
    await release('t2|createChat', 'ok', ['createChat', 500, until, 0], now);
    // None left: the waiter holds (it enters again and learns until when); the next in the queue goes.
    expect(await published()).toEqual(['ch: t3|createChat recheck', 'ch: t4|getChat go']);
    expect(await check('t3|createChat', entry)).toBe('gone');
    expect(await enter('t3', { op: 'createChat', now })).toEqual(['hold', String(until)]);
  });

  it('merges what replicas saw of a window: a later window replaces an earlier one, the lowest Remaining counts', async () => {
    const now = Date.now();
    const see = async (u: number | '', w: number | '', r: number | '') => {
      await fill(1, { now });
      await release('t1|createChat', 'other', ['createChat', u, w, r], now);
      return redis.hmget(STATE, 'u:createChat', 'w:createChat', 'r:createChat');
    };
    expect(await see(1_000, now + 5_000, 7)).toEqual(['1000', String(now + 5_000), '7']);
    expect(await see(1_000, now + 5_000, 9)).toEqual(['1000', String(now + 5_000), '7']);
    expect(await see(1_000, '', 3)).toEqual(['1000', String(now + 5_000), '3']);
    expect(await see(900, now + 4_000, 1)).toEqual(['1000', String(now + 5_000), '3']); // earlier window
    expect(await see('', '', 2)).toEqual(['1000', String(now + 5_000), '2']);
    expect(await see(2_000, now + 9_000, '')).toEqual(['2000', String(now + 9_000), null]);
    expect(await see(2_000, '', 8)).toEqual(['2000', String(now + 9_000), '8']);
    expect(await see(3_000, '', '')).toEqual(['3000', null, null]);
    // The state outlives the window it knows by a minute.
    await see(4_000, now + 120_000, 5);
    expect(await redis.pttl(STATE)).toBeGreaterThan(170_000);
    expect(await redis.pttl(STATE)).toBeLessThanOrEqual(180_000);
  });

  it('learns a lower in-flight limit from a parallel-limit 420 and raises it after a second and 4 successes per slot', async () => {
    const now = Date.now();
    await fill(3, { now });
    // A 420 with 2 others in flight: at most 2 now, across every replica.
    expect(await release('t1|getChat', 'parallel-limit', [], now)).toBe(1);
    expect(await redis.hget(STATE, 'limit')).toBe('2');
    expect(await enter('t4', { now })).toEqual(['queued', expect.any(String)]);
    await release('t9|getChat', 'parallel-limit', [], now); // not held (e.g. a lapsed lease): proves nothing
    expect(await redis.hget(STATE, 'limit')).toBe('2');
    const succeed = async (n: number, at: number) => {
      for (let i = 0; i < n; i++) {
        await redis.zadd(SLOTS, Date.now() + LEASE, `s${i}|getChat`);
        await release(`s${i}|getChat`, 'ok', [], at);
      }
    };
    await succeed(8, now + 500); // 4 per slot, but within a second of the change
    expect(await redis.hget(STATE, 'limit')).toBe('2');
    await succeed(1, now + 1_000);
    expect(await redis.hget(STATE, 'limit')).toBe('3');
    await succeed(11, now + 2_000); // 12 needed at 3
    expect(await redis.hget(STATE, 'limit')).toBe('3');
    await succeed(1, now + 2_000);
    expect(await redis.hget(STATE, 'limit')).toBe('4');
    expect(await redis.zrange(SLOTS, '0', '-1')).toEqual(['t2|getChat', 't3|getChat', 't4|getChat']);
    await release('t2|getChat', 'parallel-limit', [], now);
    expect(await redis.hget(STATE, 'limit')).toBe('2');
    await release('t3|getChat', 'parallel-limit', [], now);
    await release('t4|getChat', 'parallel-limit', [], now); // none left in flight: the limit stays at least 1
    expect(await redis.hget(STATE, 'limit')).toBe('1');
  });

  it('renews only the leases still held, to a full lease from now, and keeps the slots key as long', async () => {
    await fill(2, { lease: 1_000 });
    const before = Date.now();
    await redis.eval(RENEW, 1, SLOTS, 60_000, 't1|getChat', 'gone|getChat');
    const scores = await redis.zrange(SLOTS, '0', '-1', 'WITHSCORES');
    expect(scores.filter((_, i) => i % 2 === 0)).toEqual(['t2|getChat', 't1|getChat']);
    expect(Number(scores[3])).toBeGreaterThanOrEqual(before + 60_000);
    expect(Number(scores[3])).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await redis.pttl(SLOTS)).toBeGreaterThan(119_000);
  });

  it('gives every key it writes a TTL', async () => {
    await fill(4, { lease: 1_000 });
    await enter('t5', { lease: 1_000, wait: 2_000 });
    await release('t1|getChat', 'ok', ['getChat', 1, Date.now() + 1_000, 3]);
    expect(await redis.pttl(SLOTS)).toBeGreaterThan(1_000); // twice the lease
    expect(await redis.pttl(QUEUE)).toBeGreaterThan(2_000); // the wait and a lease
    expect(await redis.pttl(STATE)).toBeGreaterThan(60_000);
  });
});
