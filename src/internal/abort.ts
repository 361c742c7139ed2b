// Abort helpers. A caller often shares one AbortSignal (a shutdown signal, say) across many calls; one
// listener per call would pile up on it (and trip Node's MaxListenersExceededWarning past 10), so calls
// subscribe through a single listener per signal instead.
const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

/** Runs `callback` once `signal` aborts; returns an unsubscribe function. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = subscribers.get(signal);
  if (callbacks === undefined) {
    const fresh = new Set<() => void>();
    callbacks = fresh;
    subscribers.set(signal, fresh);
    signal.addEventListener(
      'abort',
      () => {
        subscribers.delete(signal);
        for (const notify of fresh) notify();
      },
      { once: true },
    );
  }
  callbacks.add(callback);
  const subscribed = callbacks;
  return () => {
    subscribed.delete(callback);
  };
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts: for an injected fetch
 * that ignores `request.signal`, so that timeouts and aborts still end the call.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const stop = onAbort(signal, () => reject(signal.reason));
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        reject(error);
      },
    );
  });
}
