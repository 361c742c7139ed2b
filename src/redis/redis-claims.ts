// The notification handler's duplicate store in Redis: a claim with a lease per event key, taken, committed
// and released atomically (Lua), so that an event's callback runs once across every replica while its
// claim holds. While Redis cannot be used, the same calls go to an in-process claim store: dedupe then
// holds within each process only, as without the store.
import type { ClaimingDuplicateStore, ClaimState } from '../base/claims.ts'; // type only: erased
import { DOWN, type Link, script } from './link.ts';
import { MemoryClaims } from './memory-claims.ts';

export type { ClaimingDuplicateStore, ClaimState };

/** A key's value: `done`, or `claim:<owner>` while a run holds it (the key's TTL is the lease). */
const CLAIM = script(`
local v = redis.call('GET', KEYS[1])
if v == 'done' then return 'done' end
if v and v ~= 'claim:' .. ARGV[1] then return 'running' end
redis.call('SET', KEYS[1], 'claim:' .. ARGV[1], 'PX', ARGV[2])
return 'new'
`);
const COMMIT = script(`redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1]) return 1`);
const RELEASE = script(`
if redis.call('GET', KEYS[1]) == 'claim:' .. ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);

export interface RedisClaimsOptions {
  prefix: string;
  /** How long a handled key is remembered. */
  duplicateTtlMs: number;
}

/**
 * Also the older `{ has, add }` shape, so a handler that knows only that one can use it today (without
 * the atomicity of a claim).
 */
export class RedisClaims implements ClaimingDuplicateStore {
  readonly #link: Link;
  readonly #options: RedisClaimsOptions;
  readonly #local: MemoryClaims;

  constructor(link: Link, options: RedisClaimsOptions) {
    this.#link = link;
    this.#options = options;
    this.#local = new MemoryClaims(options.duplicateTtlMs);
  }

  async claim(key: string, ttlMs: number, owner: string): Promise<ClaimState> {
    const reply = await this.#link.run(CLAIM, [this.#key(key)], [owner, Math.max(1, Math.ceil(ttlMs))]);
    if (reply === DOWN) return this.#local.claim(key, ttlMs, owner);
    return reply as ClaimState;
  }

  async commit(key: string, owner: string): Promise<void> {
    this.#local.commit(key, owner); // also kept here, for a redelivery while Redis is down
    await this.#link.run(COMMIT, [this.#key(key)], [this.#options.duplicateTtlMs]);
  }

  async release(key: string, owner: string): Promise<void> {
    this.#local.release(key, owner);
    await this.#link.run(RELEASE, [this.#key(key)], [owner]);
  }

  /** `{ has, add }`: whether the key was handled. */
  async has(key: string): Promise<boolean> {
    return (await this.claimState(key)) === 'done';
  }

  /** `{ has, add }`: the key was handled. */
  add(key: string): Promise<void> {
    return this.commit(key, '');
  }

  /** What the store holds for a key, without claiming it ('new' when nothing). */
  async claimState(key: string): Promise<ClaimState> {
    const reply = await this.#link.run(GET, [this.#key(key)], []);
    if (reply === DOWN) return this.#local.peek(key);
    return reply === 'done' ? 'done' : reply === null ? 'new' : 'running';
  }

  #key(key: string): string {
    return `${this.#options.prefix}dup:${key}`;
  }
}

const GET = script(`return redis.call('GET', KEYS[1])`);
