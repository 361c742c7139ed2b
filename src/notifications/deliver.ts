// Runs a notification's callback within a time budget, at most once at a time per event key, and marks the
// key as handled only after the callback succeeded: a failed or timed-out event is handled again when
// Yandex resends it, a handled one is recognised as a duplicate.
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

/** Whether `task` is still running after `ms` (it rejects if `task` does); the timer never outlives the race. */
async function timesOut(task: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  });
  try {
    return await Promise.race([task.then(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class CallbackTimeoutError extends Error {
  override name = 'CallbackTimeoutError';
}

/** `store` undefined: no duplicate detection at all, every delivery runs its callback. */
export function createDeliverer(store: DuplicateStore | undefined): Deliverer {
  const inFlight = new Map<string, Promise<void>>();

  async function settle(task: Promise<void>, timeoutMs: number, abort?: AbortController) {
    try {
      if (!(await timesOut(task, timeoutMs))) return undefined;
    } catch (error) {
      return { outcome: 'failed', error, timedOut: false } as const;
    }
    const error = new CallbackTimeoutError(`the callback did not finish within ${timeoutMs} ms`);
    abort?.abort(error);
    return { outcome: 'failed', error, timedOut: true } as const;
  }

  return {
    async deliver(key, run, timeoutMs, onLateFailure) {
      try {
        // A redelivery while the first delivery still runs waits for it instead of running twice.
        const running = store === undefined ? undefined : inFlight.get(key);
        if (running !== undefined) return (await settle(running, timeoutMs)) ?? { outcome: 'duplicate' };
        if (store !== undefined && (await store.has(key))) return { outcome: 'duplicate' };
      } catch (error) {
        return { outcome: 'failed', error, timedOut: false };
      }
      const abort = new AbortController();
      const task = (async () => {
        await run(abort.signal);
        await store?.add(key);
      })();
      if (store !== undefined) {
        inFlight.set(key, task);
        const forget = () => inFlight.delete(key);
        task.then(forget, forget);
      }
      const failure = await settle(task, timeoutMs, abort);
      if (failure?.timedOut) task.catch(onLateFailure);
      return failure ?? { outcome: 'handled' };
    },
  };
}
