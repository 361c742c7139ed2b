import { onAbort } from './abort.ts';
import { PeerTraffic } from './peer-traffic.ts';

/** A call in the slot queue. */
interface Waiter {
  /** Whether its wait ran out before the slot came (it then leaves the queue with its timeout error). */
  tooLate(): boolean;
  grant(release: () => void): void;
}

interface Lane {
  /** How many may be in flight now: MAX at first, lowered by parallel-limit 420s, raised back by successes. */
  limit: number;
  active: number;
  waiting: Waiter[];
  /** When the limit last changed (ms), and the successes since: a step up needs both a second and a run. */
  changedAt: number;
  successes: number;
  /** What the others' calls showed since the last 420, kept only while the limit is lowered. */
  peers: PeerTraffic | undefined;
  /** Whether the last step up came from what the others' calls showed and has yet to last a round. */
  raisedForPeers: boolean;
  /** Such steps that a 420 proved wrong: each doubles the round asked, until the lane is forgotten. */
  peerMisses: number;
  /** When the lane last went idle (nothing in flight or waiting), if it has. */
  idleSince: number | undefined;
}

export interface GateStats {
  limit: number;
  active: number;
  waiting: number;
}

/**
 * The in-flight slots of each business, granted in FIFO order. Yandex allows 4 requests in flight per
 * business across all methods, and the seller's other integrations and replicas share them: a 420 with
 * quota left says they are busy, so the gate lowers this business's limit (to what was in flight and
 * admitted), and raises it back one step at a time while calls succeed, up to the maximum: after a second
 * and four successes per slot, or after one round of ours when the shared quota counter shows the others'
 * calls leave a slot unused (two slots if others are about: they step up too). Each step up is a probe that
 * may cost one more 420.
 */
export class BusinessGate {
  readonly #lanes = new Map<number, Lane>();
  readonly #max: number;
  /** When forgetIdle looks at the lanes again (ms). */
  #nextLook = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /**
   * Resolves with a release function once a slot is free. Rejects with the signal's reason on abort, or
   * with `onTimeout()` when no slot came within `maxWaitMs`.
   */
  acquire(
    businessId: number,
    signal: AbortSignal | undefined,
    maxWaitMs: number,
    onTimeout: () => Error,
  ): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const lane = this.#lane(businessId);
    if (lane.idleSince !== undefined) this.#resume(lane, lane.idleSince, Date.now());
    // Stryker disable next-line ConditionalExpression: grants keep no one waiting while a slot is free; FIFO if that changes
    if (lane.active < lane.limit && lane.waiting.length === 0) {
      lane.active++;
      return Promise.resolve(this.#releaser(businessId, lane));
    }
    const until = Date.now() + maxWaitMs;
    return new Promise((resolve, reject) => {
      const stopWaiting = () => {
        clearTimeout(timer);
        unsubscribe?.();
      };
      const leave = (reason: unknown) => {
        lane.waiting.splice(lane.waiting.indexOf(waiter), 1);
        stopWaiting();
        reject(reason);
      };
      const unsubscribe = signal === undefined ? undefined : onAbort(signal, () => leave(signal.reason));
      const timer = setTimeout(() => leave(onTimeout()), maxWaitMs);
      const waiter: Waiter = {
        // A slot freed in the moment the wait ends (its timer due, not yet run) comes too late: the call
        // would start an attempt past its deadline. The slot goes on to the next in line.
        tooLate() {
          if (Date.now() < until) return false;
          stopWaiting();
          reject(onTimeout());
          return true;
        },
        grant(release) {
          stopWaiting();
          resolve(release);
        },
      };
      lane.waiting.push(waiter);
    });
  }

  /**
   * A parallel-limit 420, seen before its slot is released: send no more at once than the others that were
   * admitted. Returns how many other requests of the business are in flight (their end frees a slot).
   */
  congested(businessId: number, now: number): number {
    const lane = this.#lane(businessId);
    const others = lane.active - 1;
    lane.limit = Math.max(1, Math.min(lane.limit - 1, others));
    if (lane.raisedForPeers) lane.peerMisses++;
    lane.raisedForPeers = false;
    lane.peers = new PeerTraffic(); // what the others did before says nothing of what they do now
    lane.changedAt = now;
    lane.successes = 0;
    return others;
  }

  /** An answer to a call of ours said the operation's quota counter (`Remaining`) and its window's end. */
  admitted(businessId: number, operation: string, remaining: number, window: number | undefined): void {
    this.#lanes.get(businessId)?.peers?.observe(operation, remaining, window);
  }

  /**
   * A success: one more in flight once a second has passed since the last change and the business had
   * four successes per slot meanwhile (time spent idle, e.g. held for quota, does not count as calm).
   * Sooner when the quota counter of `operation` shows a slot unused by the others after a round of ours
   * at this limit; a 420 within the round after such a step doubles the round asked for the next one.
   */
  succeeded(businessId: number, now: number, operation: string): void {
    const lane = this.#lanes.get(businessId);
    if (lane === undefined) return;
    lane.successes++;
    // A step for the others' calls that lasted a round was right: a later 420 is news, not its miss.
    if (lane.raisedForPeers && lane.successes >= lane.limit) lane.raisedForPeers = false;
    if (lane.limit === this.#max) return;
    const calm =
      now - lane.changedAt >= RAISE_AFTER_MS && lane.successes >= RAISE_AFTER_SUCCESSES_PER_SLOT * lane.limit;
    // Stryker disable next-line OptionalChaining: for the types; a lowered lane always has its count
    const othersPerOwn = lane.peers?.othersPerOwn(operation, lane.limit);
    const slotUnused =
      // Stryker disable next-line ConditionalExpression: for the types; an undefined makes the product NaN, which no comparison passes
      othersPerOwn !== undefined &&
      lane.successes >= lane.limit * 2 ** lane.peerMisses &&
      // With others about, two slots: they read the same counter and may step up at the same moment.
      lane.limit * (1 + othersPerOwn) <= this.#max - (othersPerOwn > 0 ? 2 : 1);
    if (!calm && !slotUnused) return;
    lane.limit++;
    lane.raisedForPeers = !calm;
    lane.changedAt = now;
    lane.successes = 0;
    // Stryker disable next-line ConditionalExpression: only frees memory; a 420 starts a new count before one is read
    if (lane.limit === this.#max) lane.peers = undefined;
    this.#grantWaiting(businessId, lane);
  }

  /** How many businesses it holds a lane for. */
  get size(): number {
    return this.#lanes.size;
  }

  /**
   * Frees the lanes idle long enough for their lowered limit to be forgotten (a lane at full limit is freed
   * as soon as it goes idle), so memory follows the businesses in use. Looks at most once a second.
   */
  forgetIdle(now: number): void {
    if (now < this.#nextLook) return;
    this.#nextLook = now + FORGET_EVERY_MS;
    for (const [businessId, lane] of this.#lanes) {
      // Stryker disable next-line ConditionalExpression: for the types; a lane in use makes the difference NaN
      if (lane.idleSince !== undefined && now - lane.idleSince >= FORGET_AFTER_IDLE_MS) {
        this.#lanes.delete(businessId);
      }
    }
  }

  stats(businessId: number): GateStats {
    const lane = this.#lanes.get(businessId);
    return { limit: lane?.limit ?? this.#max, active: lane?.active ?? 0, waiting: lane?.waiting.length ?? 0 };
  }

  #lane(businessId: number): Lane {
    let lane = this.#lanes.get(businessId);
    if (lane === undefined) {
      lane = {
        limit: this.#max,
        active: 0,
        waiting: [],
        changedAt: 0,
        successes: 0,
        peers: undefined,
        raisedForPeers: false,
        peerMisses: 0,
        idleSince: undefined,
      };
      this.#lanes.set(businessId, lane);
    }
    return lane;
  }

  #grantWaiting(businessId: number, lane: Lane): void {
    while (lane.active < lane.limit) {
      const next = lane.waiting.shift();
      if (next === undefined) return;
      if (next.tooLate()) continue;
      lane.active++;
      next.grant(this.#releaser(businessId, lane));
    }
  }

  /**
   * Calls come again after a pause: a calm period counts only while calls run (time spent held for quota
   * or idle proves nothing), and after a long pause the lowered limit is forgotten.
   */
  #resume(lane: Lane, idleSince: number, now: number): void {
    if (now - idleSince >= FORGET_AFTER_IDLE_MS) {
      lane.limit = this.#max;
      lane.peers = undefined;
      lane.peerMisses = 0;
    }
    lane.idleSince = undefined;
    lane.changedAt = now;
    lane.successes = 0;
  }

  #releaser(businessId: number, lane: Lane): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      lane.active--;
      this.#grantWaiting(businessId, lane);
      // Nobody waits when none of ours is in flight: the limit is at least 1, and slots go to the waiting first.
      if (lane.active > 0) return;
      // An idle lane at full limit holds nothing worth keeping.
      if (lane.limit === this.#max) this.#lanes.delete(businessId);
      else lane.idleSince = Date.now();
    };
  }
}

/** A lowered limit goes up by one step after this long of calls without a parallel-limit 420 ... */
const RAISE_AFTER_MS = 1_000;
/** ... and this many successes per slot of the lowered limit (measured with npm run bench:quota). */
const RAISE_AFTER_SUCCESSES_PER_SLOT = 4;
/** A lowered limit is forgotten after this long without calls. */
const FORGET_AFTER_IDLE_MS = 60_000;
/** How often forgetIdle looks for lanes to free. */
const FORGET_EVERY_MS = 1_000;
