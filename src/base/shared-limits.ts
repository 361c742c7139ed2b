// Limits a client shares with other clients (other replicas of a service) through a store, such as
// `createRedisStore(...).limits` from `yandex-market-chats-client/redis`. The engine asks it before each
// request and tells it what the answer said. A store that cannot reach its shared state answers
// `undefined`, and the client then lives by its own per-process limits alone, as without a store.
import type { RateLimitState } from './rate-limit.ts';

/** How a request ended, as far as the shared in-flight limit cares. */
export type SharedOutcome = 'ok' | 'parallel-limit' | 'other';

/** One of a business's in-flight slots, held across every client sharing the store. */
export interface SharedSlot {
  /**
   * The request ended: frees the slot. The first call counts (the engine also calls it without an
   * outcome when the request ended by an exception); later ones do nothing.
   */
  release(outcome?: SharedOutcome): void;
}

/** Send with the slot, or hold until a time (this machine's clock, ms) for the operation's quota window. */
export type SharedEntry = { slot: SharedSlot } | { holdUntil: number };

export interface SharedLimits {
  /**
   * Waits for a slot of `businessId` and one call of `operation`'s known quota window. Resolves undefined
   * when the shared state cannot answer now (the client then uses only its own limits). Rejects with the
   * signal's reason on abort, or with `onTimeout()` when no slot came within `maxWaitMs`.
   */
  enter(
    businessId: number,
    operation: string,
    signal: AbortSignal | undefined,
    maxWaitMs: number,
    onTimeout: () => Error,
  ): Promise<SharedEntry | undefined>;
  /** A response's `X-RateLimit-Resource-*` headers; `resetAtLocal` is its `resetAt` in this machine's clock. */
  observe(state: RateLimitState, operation: string, resetAtLocal: number | undefined): void;
}

/**
 * The engine's step into the shared limits, taken while it holds a local slot: the shared slot, a time
 * to hold until (the local slot is then released), or undefined (no store, or it cannot answer now).
 */
export async function enterShared(
  limits: SharedLimits,
  businessId: number,
  operation: string,
  signal: AbortSignal | undefined,
  maxWaitMs: number,
  onTimeout: () => Error,
  releaseLocal: () => void,
): Promise<SharedSlot | number | undefined> {
  let entry: SharedEntry | undefined;
  try {
    entry = await limits.enter(businessId, operation, signal, maxWaitMs, onTimeout);
  } catch (error) {
    releaseLocal();
    throw error;
  }
  if (entry === undefined) return undefined;
  if ('slot' in entry) return entry.slot;
  releaseLocal();
  return entry.holdUntil;
}
