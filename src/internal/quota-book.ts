import type { RateLimitState } from '../rate-limit.ts';

interface Lane {
  state: RateLimitState;
  /** `state.resetAt` in our clock (ms), when known. */
  resetAtLocal: number | undefined;
  /** A `Retry-After` on a rate-limit answer holds the operation until then (ours, ms). */
  blockedUntil: number;
}

/**
 * What the API said of each operation's quota for each business (each method has its own hourly quota),
 * and when a call must be held instead of sent: the quota is known to be used up until a reset in the
 * future. Responses arrive out of order, so within one window the lowest `Remaining` wins.
 */
export class QuotaBook {
  readonly #lanes = new Map<string, Lane>();
  /**
   * Requests of each operation and business sent and not yet answered: the `Remaining` we know cannot have
   * counted them, but the server will. (Counting only those sent since `Remaining` last changed would
   * forget the ones still in flight each time an earlier one is answered.)
   */
  readonly #inFlight = new Map<string, number>();

  /** Records the rate-limit headers of a response; `resetAtLocal` is `state.resetAt` in our clock. */
  observe(state: RateLimitState, operation: string, resetAtLocal: number | undefined): void {
    const key = laneKey(state.businessId, operation);
    const lane = this.#lanes.get(key);
    if (lane !== undefined && !isNewer(state, lane.state)) return;
    this.#lanes.set(key, {
      state,
      resetAtLocal,
      blockedUntil: lane?.blockedUntil ?? 0,
    });
  }

  /** A request of the operation is being sent. */
  sending(businessId: number, operation: string): void {
    const key = laneKey(businessId, operation);
    this.#inFlight.set(key, (this.#inFlight.get(key) ?? 0) + 1);
  }

  /** A request of the operation was answered, or failed: any `Remaining` read from now on counts it. */
  answered(businessId: number, operation: string): void {
    const key = laneKey(businessId, operation);
    const left = (this.#inFlight.get(key) ?? 0) - 1;
    if (left > 0) this.#inFlight.set(key, left);
    else this.#inFlight.delete(key);
  }

  /** The server asked to come back at `until` (ours, ms). */
  block(businessId: number, operation: string, until: number): void {
    const key = laneKey(businessId, operation);
    const lane = this.#lanes.get(key);
    if (lane !== undefined) lane.blockedUntil = Math.max(lane.blockedUntil, until);
    else {
      const state = { businessId, limit: undefined, remaining: undefined, resetAt: undefined };
      this.#lanes.set(key, { state, resetAtLocal: undefined, blockedUntil: until });
    }
  }

  /** Until when (ours, ms) a call must wait before sending, or undefined when it may go now. */
  heldUntil(businessId: number, operation: string, now: number): number | undefined {
    const key = laneKey(businessId, operation);
    const lane = this.#lanes.get(key);
    if (lane === undefined) return undefined;
    if (lane.blockedUntil > now) return lane.blockedUntil;
    const { remaining } = lane.state;
    if (remaining === undefined || lane.resetAtLocal === undefined || lane.resetAtLocal <= now)
      return undefined;
    return remaining - (this.#inFlight.get(key) ?? 0) <= 0 ? lane.resetAtLocal : undefined;
  }

  /** The last state of one operation's quota for a business. */
  state(businessId: number, operation: string): RateLimitState | undefined {
    return this.#lanes.get(laneKey(businessId, operation))?.state;
  }
}

function laneKey(businessId: number, operation: string): string {
  return `${businessId} ${operation}`;
}

/** Whether `next` says more than `known`: a later window, or fewer calls left in the same one. */
function isNewer(next: RateLimitState, known: RateLimitState): boolean {
  const nextEnd = next.resetAt?.getTime();
  const knownEnd = known.resetAt?.getTime();
  if (nextEnd !== undefined && knownEnd !== undefined && nextEnd !== knownEnd) return nextEnd > knownEnd;
  if (next.remaining === undefined || known.remaining === undefined) return true;
  return next.remaining <= known.remaining;
}
