// The Redis store's fallback while Redis cannot be used: claims with leases in this process only.
// Not the notifications' createMemoryDuplicateStore: ./redis must not load notification runtime code, and
// this one forgets a done key after duplicateTtlMs, as the Redis key does (that one keeps the last N keys).
import type { ClaimState } from '../base/claims.ts';

type Entry = { owner: string; until: number } | { done: number };

const MAX_KEYS = 10_000;

export class MemoryClaims {
  readonly #entries = new Map<string, Entry>();
  readonly #doneTtlMs: number;
  readonly #now: () => number;

  constructor(doneTtlMs: number, now: () => number = Date.now) {
    this.#doneTtlMs = doneTtlMs;
    this.#now = now;
  }

  claim(key: string, ttlMs: number, owner: string): ClaimState {
    const state = this.peek(key);
    const entry = this.#entries.get(key);
    if (state === 'done') return 'done';
    if (state === 'running' && entry !== undefined && 'owner' in entry && entry.owner !== owner)
      return 'running';
    this.#set(key, { owner, until: this.#now() + ttlMs });
    return 'new';
  }

  commit(key: string, _owner: string): void {
    this.#set(key, { done: this.#now() + this.#doneTtlMs });
  }

  release(key: string, owner: string): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined && 'owner' in entry && entry.owner === owner) this.#entries.delete(key);
  }

  /** What is held for the key now, without claiming it. */
  peek(key: string): ClaimState {
    const entry = this.#entries.get(key);
    if (entry === undefined) return 'new';
    const until = 'done' in entry ? entry.done : entry.until;
    if (until <= this.#now()) {
      this.#entries.delete(key);
      return 'new';
    }
    return 'done' in entry ? 'done' : 'running';
  }

  #set(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > MAX_KEYS) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}
