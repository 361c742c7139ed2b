import { onAbort } from './abort.ts';

interface Lane {
  active: number;
  waiting: Array<(release: () => void) => void>;
}

/**
 * At most `limit` holders per key at a time; the rest wait in FIFO order. Yandex allows 4 requests in
 * flight per business and answers a fifth with 420, so waiting here is cheaper than a failed call.
 */
export class KeyedLimiter<Key> {
  readonly #lanes = new Map<Key, Lane>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Resolves with a release function once a slot is free; rejects with the signal's reason on abort. */
  acquire(key: Key, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let lane = this.#lanes.get(key);
    if (lane === undefined) {
      lane = { active: 0, waiting: [] };
      this.#lanes.set(key, lane);
    }
    if (lane.active < this.#limit) {
      lane.active++;
      return Promise.resolve(this.#releaser(key, lane));
    }
    const queued = lane;
    return new Promise((resolve, reject) => {
      const unsubscribe =
        signal === undefined
          ? undefined
          : onAbort(signal, () => {
              queued.waiting.splice(queued.waiting.indexOf(grant), 1);
              reject(signal.reason);
            });
      const grant = (release: () => void) => {
        unsubscribe?.();
        resolve(release);
      };
      queued.waiting.push(grant);
    });
  }

  /** Holders and waiters for a key, for tests and diagnostics. */
  stats(key: Key): { active: number; waiting: number } {
    const lane = this.#lanes.get(key);
    return { active: lane?.active ?? 0, waiting: lane?.waiting.length ?? 0 };
  }

  #releaser(key: Key, lane: Lane): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = lane.waiting.shift();
      if (next !== undefined) {
        next(this.#releaser(key, lane)); // the slot passes straight to the next waiter
        return;
      }
      lane.active--;
      if (lane.active === 0) this.#lanes.delete(key);
    };
  }
}
