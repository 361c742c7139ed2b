// `yandex-market-chats-client/redis`: limits and notification dedupe shared by many replicas through Redis
// (or Valkey). Needs the optional peer dependency `ioredis`; the main entry never loads this file.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SharedLimits } from '../base/shared-limits.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { Link, type RedisConnection } from './link.ts';
import { RedisClaims } from './redis-claims.ts';
import { RedisLimits } from './redis-limits.ts';

export type { RedisConnection } from './link.ts';
export type { ClaimingDuplicateStore, ClaimState, RedisClaims } from './redis-claims.ts';

export interface RedisStoreOptions {
  /** A Redis URL (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS): the store opens a connection, which close() ends. */
  url?: string | undefined;
  /** An existing ioredis connection (`Redis` or `Cluster`) instead of `url`; close() leaves it open. */
  client?: RedisConnection | undefined;
  /** Starts every key, e.g. `my-service:`: clients share limits only with the same Redis and prefix. Default `ymcc:`. */
  prefix?: string | undefined;
  /** Told once per outage when Redis fails, is slow or cannot be reached. Default: console.warn. */
  onError?: ((error: Error) => void) | undefined;
  /** How long a handled notification's key is remembered. Default 7 days. */
  duplicateTtlMs?: number | undefined;
  /** How long a slot lasts unless renewed (a process killed mid-request gives its slots back after it). Default 30 000 ms. */
  leaseMs?: number | undefined;
  /** A command slower than this counts as Redis being down. Default 200 ms. */
  commandTimeoutMs?: number | undefined;
}

export interface RedisStore {
  /** For `createMarketClient({ sharedLimits })`. */
  readonly limits: SharedLimits;
  /** For `createNotificationHandler({ duplicates })`: claims with leases (and `has`/`add`). */
  readonly duplicates: RedisClaims;
  /** Ends the connections the store opened (not a `client` passed in). Never waits on a Redis that is down. */
  close(): Promise<void>;
}

const OPTIONS = ['url', 'client', 'prefix', 'onError', 'duplicateTtlMs', 'leaseMs', 'commandTimeoutMs'];
const WEEK_MS = 7 * 24 * 3600 * 1000;

export function createRedisStore(options: RedisStoreOptions): RedisStore {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', 'must be an object with url or client');
  }
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) {
      throw new ValidationError(key, `is not an option of createRedisStore (known: ${OPTIONS.join(', ')})`);
    }
  }
  const { url, client } = options;
  if ((url === undefined) === (client === undefined)) {
    throw new ValidationError('url', 'give exactly one of url and client');
  }
  if (url !== undefined && (typeof url !== 'string' || !/^rediss?:\/\//.test(url))) {
    throw new ValidationError('url', 'must be a redis:// or rediss:// URL');
  }
  if (client !== undefined && (typeof client !== 'object' || typeof client?.evalsha !== 'function')) {
    throw new ValidationError('client', 'must be an ioredis Redis or Cluster connection');
  }
  const prefix = options.prefix ?? 'ymcc:';
  if (typeof prefix !== 'string' || /[{}\s]/.test(prefix)) {
    throw new ValidationError('prefix', 'must be a string without braces or spaces (keys carry a hash tag)');
  }
  const onError = options.onError ?? ((error: Error) => console.warn(error.message));
  if (typeof onError !== 'function') throw new ValidationError('onError', 'must be a function');
  const duplicateTtlMs = positive('duplicateTtlMs', options.duplicateTtlMs ?? WEEK_MS);
  const leaseMs = positive('leaseMs', options.leaseMs ?? 30_000);
  const commandTimeoutMs = positive('commandTimeoutMs', options.commandTimeoutMs ?? 200);

  const own = client === undefined;
  // `<'legacy'>` here and `as unknown` below: the reply mapping RedisConnection has. Left to inference,
  // tsc relates two instantiations of ioredis' Redis class member by member (2-3 s of every typecheck).
  const connection: RedisConnection =
    client ??
    new Redis<'legacy'>(url as string, {
      enableOfflineQueue: false, // a command while disconnected fails at once: the client falls back
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 50, 500), // reconnect soon after a restart
      lazyConnect: false,
      // disconnect() waits this long for a socket's close, which one that never connected never sends.
      disconnectTimeout: commandTimeoutMs,
    });
  // Pub/sub needs a connection of its own: it tells a waiter that a slot is its now.
  const subscriber = (connection as Redis).duplicate() as unknown as RedisConnection;
  const quiet = () => {}; // failures are seen (and reported once) through the commands
  if (own) connection.on('error', quiet);
  subscriber.on('error', quiet);

  const link = new Link(connection, { commandTimeoutMs, onError });
  const id = randomBytes(6).toString('hex');
  const channel = `${prefix}grants:${id}`;
  const limits = new RedisLimits(link, { prefix, leaseMs, channel, id });
  const duplicates = new RedisClaims(link, { prefix, duplicateTtlMs });
  let closed = false;
  subscriber.on('message', (_channel: string, message: string) => limits.deliver(message));
  // On every (re)connection: with no offline queue, a subscribe sent before it would be dropped.
  subscriber.on('ready', () => void subscriber.subscribe(channel).catch(quiet));
  // A subscriber that lost its connection misses hand-overs: treat it as Redis being down.
  subscriber.on('close', () => {
    if (!closed) link.down(new Error('the pub/sub connection closed'));
  });

  return {
    limits,
    duplicates,
    async close() {
      if (closed) return;
      closed = true;
      limits.close();
      link.close();
      await Promise.all([end(subscriber, true, commandTimeoutMs), end(connection, own, commandTimeoutMs)]);
    },
  };
}

/** Quits a connection the store owns: politely if Redis answers soon, else by dropping it. */
async function end(connection: RedisConnection, owned: boolean, timeoutMs: number): Promise<void> {
  if (!owned) return;
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([connection.quit().catch(() => {}), late]);
  clearTimeout(timer);
  connection.disconnect();
}

function positive(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, `must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}
