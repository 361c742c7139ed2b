// createRedisStore on a fake ioredis connection passed as `client` (fake timers): its options and their
// defaults, the pub/sub connection that wakes waiters, and close(). Against a real Redis: store.test.ts.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../errors/validation-error.ts';
import { createRedisStore, type RedisConnection, type RedisStoreOptions } from './index.ts';

/** A connection that answers each script as told (ENTER: 'go'), and its pub/sub duplicate. */
function fakeConnection(status = 'ready') {
  const make = () =>
    Object.assign(new EventEmitter(), {
      status,
      evalsha: vi.fn(async (..._args: unknown[]): Promise<unknown> => ['go']),
      eval: vi.fn(async (): Promise<unknown> => 1),
      ping: vi.fn(async () => 'PONG'),
      subscribe: vi.fn(async (_channel: string) => 1),
      quit: vi.fn(async () => 'OK'),
      disconnect: vi.fn(),
    });
  const subscriber = make();
  const connection = Object.assign(make(), { duplicate: vi.fn(() => subscriber) });
  return { connection, subscriber };
}

function setUp(options: Partial<RedisStoreOptions> = {}) {
  const { connection, subscriber } = fakeConnection();
  const errors: Error[] = [];
  const store = createRedisStore({
    client: connection as unknown as RedisConnection,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { connection, subscriber, errors, store };
}

const enter = (store: ReturnType<typeof setUp>['store'], maxWaitMs = 1_000) =>
  store.limits.enter(5, 'getChat', undefined, maxWaitMs, () => new Error('no slot in time'));

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('createRedisStore options', () => {
  const client = fakeConnection().connection as unknown as RedisConnection;
  it.each([
    ['options', 'must be an object with url or client', null],
    ['options', 'must be an object with url or client', 'redis://x'],
    ['retries', 'is not an option of createRedisStore (known: url, client, prefix', { client, retries: 3 }],
    ['url', 'give exactly one of url and client', {}],
    ['url', 'give exactly one of url and client', { url: 'redis://127.0.0.1:9', client }],
    ['url', 'must be a redis:// or rediss:// URL', { url: 6379 }],
    ['url', 'must be a redis:// or rediss:// URL', { url: 'http://127.0.0.1:6379' }],
    ['url', 'must be a redis:// or rediss:// URL', { url: 'see redis://127.0.0.1' }],
    ['client', 'must be an ioredis Redis or Cluster connection', { client: 'redis://x' }],
    ['client', 'must be an ioredis Redis or Cluster connection', { client: null }],
    ['client', 'must be an ioredis Redis or Cluster connection', { client: { evalsha: 'no' } }],
    ['prefix', 'must be a string without braces or spaces', { client, prefix: 'a{b}:' }],
    ['prefix', 'must be a string without braces or spaces', { client, prefix: 'a}' }],
    ['prefix', 'must be a string without braces or spaces', { client, prefix: 'my service:' }],
    ['prefix', 'must be a string without braces or spaces', { client, prefix: 5 }],
    ['onError', 'must be a function', { client, onError: 'log' }],
    ['duplicateTtlMs', 'must be a positive number of milliseconds, got 0', { client, duplicateTtlMs: 0 }],
    ['leaseMs', 'must be a positive number of milliseconds, got -1', { client, leaseMs: -1 }],
    ['leaseMs', 'must be a positive number of milliseconds, got 30000', { client, leaseMs: '30000' }],
    [
      'commandTimeoutMs',
      'must be a positive number of milliseconds, got NaN',
      { client, commandTimeoutMs: Number.NaN },
    ],
    [
      'commandTimeoutMs',
      'must be a positive number of milliseconds, got Infinity',
      { client, commandTimeoutMs: Number.POSITIVE_INFINITY },
    ],
  ])('refuses a bad %s: %s', (field, problem, options) => {
    const call = () => createRedisStore(options as RedisStoreOptions);
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(`${field} ${problem}`);
    try {
      call();
    } catch (error) {
      expect((error as ValidationError).field).toBe(field);
    }
  });

  it('accepts a rediss:// URL (TLS)', async () => {
    const store = createRedisStore({ url: 'rediss://127.0.0.1:9', onError: () => {} });
    await store.close();
  });

  it('uses the prefix ymcc:, a 30 s lease and a 7-day memory of handled notifications by default', async () => {
    const { connection, store } = setUp();
    await enter(store);
    expect(connection.evalsha.mock.calls[0]?.slice(1, 5)).toEqual([
      3,
      'ymcc:{b:5}:slots',
      'ymcc:{b:5}:queue',
      'ymcc:{b:5}:state',
    ]);
    expect(connection.evalsha.mock.calls[0]?.[9]).toBe(30_000); // leaseMs
    await store.duplicates.commit('ev', 'o');
    expect(connection.evalsha.mock.calls[1]?.slice(1)).toEqual([1, 'ymcc:dup:ev', 7 * 24 * 3600 * 1000]);
  });

  it('uses the prefix, lease and memory it is given', async () => {
    const { connection, store } = setUp({ prefix: 'shop:', leaseMs: 5_000, duplicateTtlMs: 60_000 });
    await enter(store);
    expect(connection.evalsha.mock.calls[0]?.[2]).toBe('shop:{b:5}:slots');
    expect(connection.evalsha.mock.calls[0]?.[9]).toBe(5_000);
    await store.duplicates.commit('ev', 'o');
    expect(connection.evalsha.mock.calls[1]?.slice(1)).toEqual([1, 'shop:dup:ev', 60_000]);
  });

  it('counts a command over 200 ms as Redis being down by default, or over commandTimeoutMs', async () => {
    for (const [options, ms] of [
      [{}, 200],
      [{ commandTimeoutMs: 50 }, 50],
    ] as const) {
      const { connection, store, errors } = setUp(options);
      connection.evalsha.mockImplementation(() => new Promise(() => {}));
      const entry = enter(store);
      await vi.advanceTimersByTimeAsync(ms - 1);
      expect(errors).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(await entry).toBeUndefined();
      expect(errors[0]?.message).toContain(`took more than ${ms} ms`);
      await store.close();
    }
  });

  it('tells console.warn of an outage when no onError is given', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { connection, subscriber } = fakeConnection();
    const store = createRedisStore({ client: connection as unknown as RedisConnection });
    subscriber.emit('error', new Error('ECONNRESET')); // heard, not thrown
    connection.evalsha.mockRejectedValueOnce(new Error('ERR down'));
    expect(await enter(store)).toBeUndefined();
    expect(warn.mock.calls).toEqual([[expect.stringMatching(/^Redis store: ERR down; using per-process/)]]);
    await store.close();
  });
});

describe('createRedisStore pub/sub and close', () => {
  it('subscribes to its own channel on every (re)connection and wakes a waiter with what comes on it', async () => {
    const { connection, subscriber, store } = setUp({ prefix: 'shop:' });
    subscriber.emit('ready');
    const [channel] = subscriber.subscribe.mock.calls[0] as [string];
    expect(channel).toMatch(/^shop:grants:[0-9a-f]{12}$/);
    subscriber.emit('ready');
    expect(subscriber.subscribe.mock.calls).toEqual([[channel], [channel]]);
    const other = setUp({ prefix: 'shop:' });
    other.subscriber.emit('ready');
    expect(other.subscriber.subscribe.mock.calls[0]?.[0]).not.toBe(channel);

    connection.evalsha.mockResolvedValueOnce(['queued', 'entry']);
    const entry = enter(store, 5_000);
    await vi.advanceTimersByTimeAsync(0);
    const [token, operation] = (connection.evalsha.mock.calls[0] ?? []).slice(5, 7) as string[];
    expect(connection.evalsha.mock.calls[0]?.[11]).toBe(channel); // where the scripts tell it
    subscriber.emit('message', channel, `${token}|${operation} go`);
    expect(await entry).toHaveProperty('slot');
    await store.close();
    await other.store.close();
  });

  it('survives a failed subscribe', async () => {
    const { subscriber, store } = setUp();
    subscriber.subscribe.mockRejectedValueOnce(new Error('Connection is closed.'));
    subscriber.emit('ready');
    await vi.advanceTimersByTimeAsync(0);
    await store.close();
  });

  it('treats a closed pub/sub connection as Redis being down, until closed itself', async () => {
    const { connection, subscriber, store, errors } = setUp();
    subscriber.emit('close');
    expect(errors.map((e) => e.message)).toEqual([
      'Redis store: the pub/sub connection closed; using per-process limits and duplicate checks until Redis answers again',
    ]);
    expect(await enter(store)).toBeUndefined();
    expect(connection.evalsha).not.toHaveBeenCalled();
    await store.close();
    const second = setUp();
    await second.store.close();
    second.subscriber.emit('close');
    expect(second.errors).toEqual([]);
  });

  it('closes its pub/sub connection politely, leaves a connection passed in open, and closes once', async () => {
    const { connection, subscriber, store } = setUp();
    await store.close();
    await store.close();
    expect(subscriber.quit).toHaveBeenCalledTimes(1);
    expect(subscriber.disconnect).toHaveBeenCalledTimes(1);
    expect(connection.quit).not.toHaveBeenCalled();
    expect(connection.disconnect).not.toHaveBeenCalled();
    expect(await enter(store)).toBeUndefined(); // closed: nothing sent
    expect(connection.evalsha).not.toHaveBeenCalled();
  });

  it('drops a connection that is not ready, and never waits on a quit Redis does not answer', async () => {
    const down = setUp();
    down.subscriber.status = 'reconnecting';
    await down.store.close();
    expect(down.subscriber.quit).not.toHaveBeenCalled();
    expect(down.subscriber.disconnect).toHaveBeenCalledTimes(1);

    const slow = setUp({ commandTimeoutMs: 100 });
    slow.subscriber.quit.mockImplementation(() => new Promise(() => {}));
    let closed = false;
    void slow.store.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed).toBe(true);
    expect(slow.subscriber.disconnect).toHaveBeenCalledTimes(1);

    const failing = setUp();
    failing.subscriber.quit.mockRejectedValueOnce(new Error('Connection is closed.'));
    await failing.store.close();
    expect(failing.subscriber.disconnect).toHaveBeenCalledTimes(1);
  });
});
