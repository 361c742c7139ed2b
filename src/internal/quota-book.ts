import type { RateLimitState } from '../base/rate-limit.ts';

interface Lane {
  /** The latest window's state, with the lowest `Remaining` seen in it (responses arrive out of order). */
  state: RateLimitState;
  /** `state.resetAt` in our clock (ms), when known. */
  resetAtLocal: number | undefined;
  /** Requests sent and not yet answered: the server may or may not have counted them already. */
  inFlight: number;
  /** Calls waiting for an answer to arrive before they decide. */
  settleWaiters: Array<() => void>;
  /** A `Retry-After` on a rate-limit answer holds the operation until then (ours, ms). */
  blockedUntil: number;
}

/** Send now, hold until a time (ours, ms), or wait for an answer in flight that says more. */
export type QuotaDecision = { hold: 'until'; until: number } | { hold: 'answer' } | undefined;

/**
 * What the API said of each operation's quota for each business (each method has its own hourly quota),
 * and whether a call must wait instead of being sent: when the quota is known to be used up until a
 * reset in the future. `Remaining` counts requests as the server admitted them, so requests still in
 * flight may or may not be in it: when only they stand between the quota and zero, a call waits for their
 * answers rather than for the reset or a sure 420.
 */
export class QuotaBook {
  readonly #lanes = new Map<string, Lane>();
  /** When forgetIdle looks at the lanes again (ms). */
  #nextLook = 0;

  /** How many lanes (business and operation) it holds. */
  get size(): number {
    return this.#lanes.size;
  }

  /**
   * Frees the lanes that know nothing a call could wait for: nothing in flight, no block ahead and the
   * window over (or no Until known), so memory follows the businesses in use, not all ever seen. Looks at
   * most once a second; a lane it frees starts over as unknown, which is what it would decide anyway.
   */
  forgetIdle(now: number): void {
    if (now < this.#nextLook) return;
    this.#nextLook = now + FORGET_EVERY_MS;
    for (const [key, lane] of this.#lanes) {
      const idle = lane.inFlight === 0 && lane.blockedUntil <= now && (lane.resetAtLocal ?? 0) <= now;
      if (idle) this.#lanes.delete(key);
    }
  }

  sending(businessId: number, operation: string): void {
    this.#lane(businessId, operation).inFlight++;
  }

  /** The request sent with `sending` got its answer, or failed without one. */
  settled(businessId: number, operation: string): void {
    const lane = this.#lane(businessId, operation);
    lane.inFlight = Math.max(0, lane.inFlight - 1);
    const waiters = lane.settleWaiters.splice(0);
    for (const wake of waiters) wake();
  }

  /** Records the rate-limit headers of a response; `resetAtLocal` is `state.resetAt` in our clock. */
  observe(state: RateLimitState, operation: string, resetAtLocal: number | undefined): void {
    const lane = this.#lane(state.businessId, operation);
    const known = lane.state.resetAt?.getTime();
    const next = state.resetAt?.getTime();
    // Stryker disable next-line ConditionalExpression,LogicalOperator: checks for the types; a comparison with undefined is false anyway
    if (next !== undefined && known !== undefined && next < known) return; // an earlier window's news
    const lower =
      lane.state.remaining === undefined ||
      // Stryker disable next-line ConditionalExpression: a check for the types; undefined <= n is false anyway
      (state.remaining !== undefined && state.remaining <= lane.state.remaining);
    if (next === undefined || next === known) {
      // The same window (or no word of it): only fewer calls left is news; a missing header erases nothing.
      if (lower) lane.state = { ...state, resetAt: lane.state.resetAt };
      return;
    }
    lane.state = state;
    lane.resetAtLocal = resetAtLocal;
  }

  /** The server asked to come back at `until` (ours, ms). */
  block(businessId: number, operation: string, until: number): void {
    const lane = this.#lane(businessId, operation);
    lane.blockedUntil = Math.max(lane.blockedUntil, until);
  }

  /** Whether a call may be sent now (undefined), or what it must wait for. */
  decide(businessId: number, operation: string, now: number): QuotaDecision {
    const lane = this.#lanes.get(laneKey(businessId, operation));
    if (lane === undefined) return undefined;
    if (lane.blockedUntil > now) return { hold: 'until', until: lane.blockedUntil };
    const { remaining } = lane.state;
    if (remaining === undefined || lane.resetAtLocal === undefined || lane.resetAtLocal <= now)
      return undefined;
    if (remaining - lane.inFlight > 0) return undefined;
    // Here remaining <= inFlight: with none left the reset tells, else only the answers in flight do.
    return remaining <= 0 ? { hold: 'until', until: lane.resetAtLocal } : { hold: 'answer' };
  }

  /** Resolves at the next answer of the lane (or at once if none is in flight). */
  nextAnswer(businessId: number, operation: string): Promise<void> {
    const lane = this.#lane(businessId, operation);
    if (lane.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => lane.settleWaiters.push(resolve));
  }

  /** The last state of one operation's quota for a business: the lowest `Remaining` of its latest window. */
  state(businessId: number, operation: string): RateLimitState | undefined {
    const state = this.#lanes.get(laneKey(businessId, operation))?.state;
    const known =
      state?.limit !== undefined || state?.remaining !== undefined || state?.resetAt !== undefined;
    return known ? state : undefined;
  }

  #lane(businessId: number, operation: string): Lane {
    const key = laneKey(businessId, operation);
    let lane = this.#lanes.get(key);
    if (lane === undefined) {
      // Stryker disable next-line ObjectLiteral: state() hides a state that knows nothing; observe() replaces it
      const state = { businessId, limit: undefined, remaining: undefined, resetAt: undefined };
      lane = { state, resetAtLocal: undefined, inFlight: 0, settleWaiters: [], blockedUntil: 0 };
      this.#lanes.set(key, lane);
    }
    return lane;
  }
}

const FORGET_EVERY_MS = 1_000;

function laneKey(businessId: number, operation: string): string {
  return `${businessId} ${operation}`;
}
