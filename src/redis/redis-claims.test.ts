// RedisClaims against a real redis-server (one for the file): claims with leases, commits kept for
// duplicateTtlMs, releases only by the owner, the `{ has, add }` shape, and the in-process fallback while
// Redis is down (also remembering what was committed before the outage).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, redisTestsRun, startRedisServer } from '../../test-support/redis-server.ts';
import { Link } from './link.ts';
import { RedisClaims } from './redis-claims.ts';

const DAY_MS = 24 * 3600 * 1000;

describe.runIf(redisTestsRun())('RedisClaims', () => {
  let server: RedisServer;
  let redis: Redis;
  const links: Link[] = [];
  let n = 0;

  /** Claims on their own prefix; the link stays down once told (no probe within a test). */
  const claims = () => {
    const link = new Link(redis, { commandTimeoutMs: 5_000, onError: () => {}, probeMs: 60_000 });
    links.push(link);
    const prefix = `c${++n}:`;
    return { link, prefix, claims: new RedisClaims(link, { prefix, duplicateTtlMs: DAY_MS }) };
  };

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis<'legacy'>(server.url);
    await redis.ping();
  }, 20_000);
  afterAll(async () => {
    for (const link of links) link.close();
    redis?.disconnect();
    await server?.stop();
  });

  it('gives a key to one owner for the lease, tells the others it runs, and keeps it done for duplicateTtlMs', async () => {
    const { prefix, claims: c } = claims();
    expect(await c.claimState('ev')).toBe('new');
    expect(await c.claim('ev', 1_500.2, 'a')).toBe('new');
    expect(await redis.get(`${prefix}dup:ev`)).toBe('claim:a');
    const lease = await redis.pttl(`${prefix}dup:ev`);
    expect(lease).toBeGreaterThan(1_400);
    expect(lease).toBeLessThanOrEqual(1_501);
    expect(await c.claim('ev', 1_500, 'b')).toBe('running');
    expect(await c.claimState('ev')).toBe('running');
    expect(await c.has('ev')).toBe(false);
    expect(await c.claim('ev', 1_500, 'a')).toBe('new'); // the owner's retry
    await c.commit('ev', 'a');
    expect(await c.claim('ev', 1_500, 'b')).toBe('done');
    expect(await c.claimState('ev')).toBe('done');
    expect(await c.has('ev')).toBe(true);
    expect(await redis.pttl(`${prefix}dup:ev`)).toBeGreaterThan(DAY_MS - 60_000);
  });

  it('takes a claim shorter than a millisecond as one millisecond', async () => {
    const { prefix, claims: c } = claims();
    expect(await c.claim('ev', 0.3, 'a')).toBe('new');
    expect(await redis.pttl(`${prefix}dup:ev`)).toBeLessThanOrEqual(1);
  });

  it('releases a claim only for its owner, and never a done key', async () => {
    const { claims: c } = claims();
    await c.claim('ev', 5_000, 'a');
    await c.release('ev', 'b');
    expect(await c.claim('ev', 5_000, 'b')).toBe('running');
    await c.release('ev', 'a');
    expect(await c.claim('ev', 5_000, 'b')).toBe('new');
    await c.commit('ev', 'b');
    await c.release('ev', 'b');
    expect(await c.claimState('ev')).toBe('done');
  });

  it('answers the `{ has, add }` shape: add marks a key handled', async () => {
    const { prefix, claims: c } = claims();
    expect(await c.has('ev')).toBe(false);
    await c.add('ev');
    expect(await c.has('ev')).toBe(true);
    expect(await redis.get(`${prefix}dup:ev`)).toBe('done');
  });

  it('claims in this process while Redis is down, remembering what it committed before', async () => {
    const { link, prefix, claims: c } = claims();
    expect(await c.claim('before', 5_000, 'a')).toBe('new');
    await c.commit('before', 'a');
    link.down(new Error('gone'));
    expect(await c.claim('before', 5_000, 'b')).toBe('done');
    expect(await c.has('before')).toBe(true);
    expect(await c.claim('ev', 5_000, 'a')).toBe('new');
    expect(await c.claimState('ev')).toBe('running');
    expect(await c.claim('ev', 5_000, 'b')).toBe('running');
    await c.release('ev', 'a');
    expect(await c.claim('ev', 5_000, 'b')).toBe('new');
    await c.commit('ev', 'b');
    expect(await c.claim('ev', 5_000, 'c')).toBe('done');
    expect(await redis.exists(`${prefix}dup:ev`)).toBe(0); // nothing reached Redis
  });
});
