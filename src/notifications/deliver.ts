// Runs a notification's callback within a time budget under a claim on its event key: the store leases the
// key to one run at a time and marks it done only after the callback succeeded. A failed run releases its
// claim, so a redelivery runs the callback again; a run that never settles holds it only until the lease
// lapses (at-least-once); a late success still commits.
import { settledWithin } from '../internal/sleep.ts';
import type { ClaimingDuplicateStore, ClaimState, DuplicateStore } from './duplicates.ts';

export type Delivery =
  | { outcome: 'handled' }
  | { outcome: 'duplicate' }
  /** Another run holds the key's claim and did not succeed within this delivery's budget. */
  | { outcome: 'busy' }
  /** `waitedOnAnother`: the run that failed (or is late) is another delivery's, which reports it. */
  | { outcome: 'failed'; error: unknown; timedOut: boolean; waitedOnAnother?: true };

export interface Deliverer {
  /**
   * `run` gets a signal aborted when `timeoutMs` passes; the answer does not wait longer. A run that goes
   * on after the timeout still commits its key if it succeeds; if it fails, `onLateFailure` hears it.
   */
  deliver(
    key: string,
    run: (signal: AbortSignal) => unknown,
    timeoutMs: number,
    onLateFailure: (error: unknown) => void,
  ): Promise<Delivery>;
}

export class CallbackTimeoutError extends Error {
  override name = 'CallbackTimeoutError';
}

const isClaiming = (store: object): store is ClaimingDuplicateStore =>
  typeof (store as Partial<ClaimingDuplicateStore>).claim === 'function';

/** An older `{ has, add }` store as a claiming one: claims live in this process only (no atomicity). */
function claimingOf(store: DuplicateStore): ClaimingDuplicateStore {
  const claims = new Map<string, { owner: string; expiresAt: number }>();
  return {
    async claim(key, ttlMs, owner): Promise<ClaimState> {
      if (await store.has(key)) return 'done';
      const held = claims.get(key);
      const now = Date.now();
      if (held !== undefined && held.owner !== owner && held.expiresAt > now) return 'running';
      claims.set(key, { owner, expiresAt: now + ttlMs });
      return 'new';
    },
    async commit(key, owner) {
      if (claims.get(key)?.owner === owner) claims.delete(key);
      await store.add(key);
    },
    release(key, owner) {
      if (claims.get(key)?.owner === owner) claims.delete(key);
    },
  };
}

/** A unique owner per delivery run: a random prefix per process, then a counter. */
function ownerIds(): () => string {
  const prefix = globalThis.crypto.randomUUID();
  let count = 0;
  return () => {
    count += 1;
    return `${prefix}:${count}`;
  };
}

async function settle(task: Promise<unknown>, timeoutMs: number, abort?: AbortController) {
  if (await settledWithin(task, timeoutMs, undefined)) {
    try {
      await task;
      return { outcome: 'handled' } as const;
    } catch (error) {
      return { outcome: 'failed', error, timedOut: false } as const;
    }
  }
  const error = new CallbackTimeoutError(`the callback did not finish within ${timeoutMs} ms`);
  abort?.abort(error);
  return { outcome: 'failed', error, timedOut: true } as const;
}

/** `store` undefined: no duplicate detection at all, every delivery runs its callback. */
export function createDeliverer(
  store: ClaimingDuplicateStore | DuplicateStore | undefined,
  graceMs = 0,
): Deliverer {
  const claims = store === undefined ? undefined : isClaiming(store) ? store : claimingOf(store);
  const inFlight = new Map<string, Promise<unknown>>();
  const nextOwner = ownerIds();

  return {
    async deliver(key, run, timeoutMs, onLateFailure) {
      const owner = nextOwner();
      let state: ClaimState = 'new';
      try {
        if (claims !== undefined) state = await claims.claim(key, timeoutMs + graceMs, owner);
      } catch (error) {
        return { outcome: 'failed', error, timedOut: false };
      }
      if (state === 'done') return { outcome: 'duplicate' };
      if (state === 'running') {
        // The run in this process, if any, may still succeed within this delivery's budget.
        const running = inFlight.get(key);
        if (running === undefined) return { outcome: 'busy' };
        // Its failure or slowness is reported by the delivery that ran it, once, not again by each waiter.
        const waited = await settle(running, timeoutMs);
        return waited.outcome === 'handled' ? { outcome: 'duplicate' } : { ...waited, waitedOnAnother: true };
      }
      const abort = new AbortController();
      const task = (async () => {
        try {
          await run(abort.signal);
        } catch (error) {
          await Promise.resolve(claims?.release(key, owner)).catch(() => {});
          throw error;
        }
        await claims?.commit(key, owner);
      })();
      if (claims !== undefined) {
        inFlight.set(key, task);
        const forget = () => {
          if (inFlight.get(key) === task) inFlight.delete(key);
        };
        task.then(forget, forget);
      }
      const delivery = await settle(task, timeoutMs, abort);
      if (delivery.outcome === 'failed' && delivery.timedOut) task.catch(onLateFailure);
      return delivery;
    },
  };
}
