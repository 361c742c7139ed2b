// Runs a notification's callback within a time budget, at most once at a time per event key, and marks the
// key as handled only after the callback succeeded: a failed or timed-out event is handled again when
// Yandex resends it, a handled one is recognised as a duplicate.
import { settledWithin } from '../internal/sleep.ts';
import type { DuplicateStore } from './duplicates.ts';

export type Delivery =
  | { outcome: 'handled' }
  | { outcome: 'duplicate' }
  | { outcome: 'failed'; error: unknown; timedOut: boolean };

export interface Deliverer {
  /**
   * `run` gets a signal aborted when `timeoutMs` passes; the answer does not wait longer. A run that goes
   * on after the timeout still marks its key handled if it succeeds; if it fails, `onLateFailure` hears it.
   */
  deliver(
    key: string,
    run: (signal: AbortSignal) => unknown,
    timeoutMs: number,
    onLateFailure: (error: unknown) => void,
  ): Promise<Delivery>;
}

type Outcome = 'handled' | 'duplicate';

export class CallbackTimeoutError extends Error {
  override name = 'CallbackTimeoutError';
}

/** `store` undefined: no duplicate detection at all, every delivery runs its callback. */
export function createDeliverer(store: DuplicateStore | undefined): Deliverer {
  const inFlight = new Map<string, Promise<Outcome>>();

  async function settle(
    task: Promise<Outcome>,
    timeoutMs: number,
    abort?: AbortController,
  ): Promise<Delivery> {
    if (await settledWithin(task, timeoutMs, undefined)) {
      try {
        return { outcome: await task };
      } catch (error) {
        return { outcome: 'failed', error, timedOut: false };
      }
    }
    const error = new CallbackTimeoutError(`the callback did not finish within ${timeoutMs} ms`);
    abort?.abort(error);
    return { outcome: 'failed', error, timedOut: true };
  }

  return {
    async deliver(key, run, timeoutMs, onLateFailure) {
      // A redelivery while the first delivery still runs waits for it instead of running twice.
      const running = inFlight.get(key);
      if (running !== undefined) {
        const delivery = await settle(running, timeoutMs);
        return delivery.outcome === 'failed' ? delivery : { outcome: 'duplicate' };
      }
      const abort = new AbortController();
      const task = (async (): Promise<Outcome> => {
        if (store !== undefined && (await store.has(key))) return 'duplicate';
        await run(abort.signal);
        await store?.add(key);
        return 'handled';
      })();
      if (store !== undefined) {
        // Registered before the first await, so a concurrent redelivery always finds it.
        inFlight.set(key, task);
        const forget = () => inFlight.delete(key);
        task.then(forget, forget);
      }
      const delivery = await settle(task, timeoutMs, abort);
      if (delivery.outcome === 'failed' && delivery.timedOut) task.catch(onLateFailure);
      return delivery;
    },
  };
}
