import { onAbort } from './abort.ts';

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise((resolve) => setTimeout(resolve, ms));
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const unsubscribe = onAbort(signal, () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
  });
}

/**
 * Waits for `promise` at most `ms`: true if it settled in time, false if the time ran out first. Rejects
 * with the signal's reason as soon as it aborts. Leaves no timer or subscription behind.
 */
export function settledWithin(
  promise: Promise<unknown>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      unsubscribe?.();
      settle();
    };
    const timer = setTimeout(() => finish(() => resolve(false)), ms);
    const unsubscribe =
      signal === undefined ? undefined : onAbort(signal, () => finish(() => reject(signal.reason)));
    promise.then(
      () => finish(() => resolve(true)),
      () => finish(() => resolve(true)),
    );
  });
}
