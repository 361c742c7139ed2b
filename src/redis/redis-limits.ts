// The shared limits in Redis (issue 16): each business's in-flight slots are leases held in Redis, handed
// out first come first served; a freed slot goes to the next waiter inside the releasing script, which
// tells the waiter's process over pub/sub (no polling; a waiter checks once a second only in case a
// message was lost). What any client learns of a quota window is merged in Redis, and a window's
// remaining calls are counted against the slots in flight for it. Nothing here waits on a Redis that
// does not answer: the engine then gets `undefined` and uses its own per-process limits.
import type { RateLimitState } from '../base/rate-limit.ts';
import type { SharedEntry, SharedLimits, SharedOutcome, SharedSlot } from '../base/shared-limits.ts';
import { DOWN, type Link, script } from './link.ts';
import { CHECK, ENTER, LEAVE, RELEASE, RENEW } from './lua-limits.ts';

const scripts = {
  enter: script(ENTER),
  release: script(RELEASE),
  check: script(CHECK),
  leave: script(LEAVE),
  renew: script(RENEW),
};

/** Yandex's in-flight limit per business. */
const MAX_IN_FLIGHT = 4;
/** A waiter asks after itself this often, in case the message that handed it a slot was lost. */
const CHECK_EVERY_MS = 1_000;
/** Slots whose release did not reach Redis, freed when it answers again (bounded: leases end anyway). */
const MAX_UNRELEASED = 1_000;

export interface RedisLimitsOptions {
  prefix: string;
  leaseMs: number;
  /** This store's pub/sub channel: the scripts publish `<member> <go|recheck>` on it. */
  channel: string;
  /** Unique per store instance: starts every token. */
  id: string;
}

type Word = 'go' | 'recheck' | 'down';
/** Per operation: Until (server ms), window end (ours), lowest Remaining, as strings for the script. */
type Observation = [until: string, end: string, remaining: string];

export class RedisLimits implements SharedLimits {
  readonly #link: Link;
  readonly #options: RedisLimitsOptions;
  readonly #waiters = new Map<string, (word: Word) => void>();
  readonly #held = new Map<string, number>(); // member -> businessId, for renewals
  readonly #observed = new Map<number, Map<string, Observation>>();
  readonly #unreleased: Array<[member: string, businessId: number]> = [];
  #count = 0;
  #renewer: NodeJS.Timeout | undefined;

  constructor(link: Link, options: RedisLimitsOptions) {
    this.#link = link;
    this.#options = options;
    link.onChange((up) => {
      if (up) void this.#releaseLeftovers();
      else this.#fallBack();
    });
  }

  /** A message on the store's channel: a waiter of ours got a slot ('go') or should ask again ('recheck'). */
  deliver(message: string): void {
    const [member = '', word] = message.split(' ');
    const token = member.split('|')[0] ?? '';
    const waiter = this.#waiters.get(token);
    if (waiter !== undefined) waiter(word === 'go' ? 'go' : 'recheck');
    else if (word === 'go') this.#release(businessOf(token), member, ''); // its waiter gave up meanwhile
  }

  observe(state: RateLimitState, operation: string, resetAtLocal: number | undefined): void {
    let ofBusiness = this.#observed.get(state.businessId);
    if (ofBusiness === undefined) {
      ofBusiness = new Map();
      this.#observed.set(state.businessId, ofBusiness);
    }
    const until = state.resetAt === undefined ? '' : String(state.resetAt.getTime());
    const end = resetAtLocal === undefined ? '' : String(Math.round(resetAtLocal));
    const remaining = state.remaining === undefined ? '' : String(state.remaining);
    const known = ofBusiness.get(operation);
    // Within one window only the lowest Remaining is news (an answer without one is none); a later
    // window replaces an earlier one.
    if (
      known !== undefined &&
      known[0] === until &&
      known[2] !== '' &&
      (remaining === '' || !(Number(remaining) < Number(known[2])))
    )
      return;
    if (known !== undefined && until !== '' && known[0] !== '' && Number(until) < Number(known[0])) return;
    ofBusiness.set(operation, [until, end, remaining]);
  }

  async enter(
    businessId: number,
    operation: string,
    signal: AbortSignal | undefined,
    maxWaitMs: number,
    onTimeout: () => Error,
  ): Promise<SharedEntry | undefined> {
    const startedAt = Date.now();
    for (;;) {
      signal?.throwIfAborted();
      const token = `${this.#options.id}:${businessId}:${++this.#count}`;
      const member = `${token}|${operation}`;
      const waitMs = Math.max(0, maxWaitMs - (Date.now() - startedAt));
      const wasUp = this.#link.up;
      const reply = await this.#link.run(scripts.enter, this.#keys(businessId), [
        token,
        operation,
        Date.now(),
        MAX_IN_FLIGHT,
        this.#options.leaseMs,
        waitMs,
        this.#options.channel,
      ]);
      if (reply === DOWN) {
        // The script may yet run once Redis answers: free what it would have taken.
        if (wasUp) this.#remember(member, businessId);
        return undefined;
      }
      const [word, detail = ''] = reply as string[];
      if (word === 'hold') return { holdUntil: Number(detail) };
      const outcome = word === 'queued' ? await this.#wait(businessId, member, detail, signal, waitMs) : word;
      if (outcome === 'go') return { slot: this.#slot(businessId, member) };
      if (outcome === 'down') return undefined;
      if (outcome === 'timeout') throw onTimeout();
      // 'recheck': the window ran out while it waited; entering again says until when to hold.
    }
  }

  /** Stops renewing; the store's close() ends the connection. */
  close(): void {
    clearInterval(this.#renewer);
    this.#fallBack();
  }

  #keys(businessId: number): string[] {
    const base = `${this.#options.prefix}{b:${businessId}}:`;
    return [`${base}slots`, `${base}queue`, `${base}state`];
  }

  #wait(
    businessId: number,
    member: string,
    entry: string,
    signal: AbortSignal | undefined,
    waitMs: number,
  ): Promise<Word | 'timeout'> {
    const token = member.split('|')[0] as string;
    return new Promise((resolve, reject) => {
      let checker: NodeJS.Timeout | undefined;
      const finish = () => {
        this.#waiters.delete(token);
        clearTimeout(timer);
        clearTimeout(checker);
        stopAbort?.();
      };
      const leave = () => {
        finish();
        void this.#link.run(scripts.leave, this.#keys(businessId), this.#args(member, entry));
      };
      const timer = setTimeout(() => {
        leave();
        resolve('timeout');
      }, waitMs);
      const onAbort = () => {
        leave();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const stopAbort = signal && (() => signal.removeEventListener('abort', onAbort));
      let granted = false;
      this.#waiters.set(token, (word) => {
        granted = word === 'go';
        finish();
        resolve(word);
      });
      const check = async () => {
        const state = await this.#link.run(scripts.check, this.#keys(businessId), this.#args(member, entry));
        if (!this.#waiters.has(token)) {
          // Given up meanwhile: free the slot, unless a message handed this very slot to the waiter.
          if (state === 'go' && !granted) this.#release(businessId, member, '');
          return;
        }
        if (state === 'go' || state === 'recheck' || state === 'gone') {
          finish();
          resolve(state === 'go' ? 'go' : 'recheck');
        } else if (state !== DOWN) {
          checker = setTimeout(check, CHECK_EVERY_MS);
        }
      };
      checker = setTimeout(check, CHECK_EVERY_MS);
    });
  }

  #args(member: string, entry: string): (string | number)[] {
    return [member, entry, Date.now(), MAX_IN_FLIGHT, this.#options.leaseMs];
  }

  #slot(businessId: number, member: string): SharedSlot {
    this.#held.set(member, businessId);
    this.#startRenewing();
    let released = false;
    return {
      release: (outcome?: SharedOutcome) => {
        if (released) return;
        released = true;
        this.#held.delete(member);
        this.#release(businessId, member, outcome ?? 'other');
      },
    };
  }

  #release(businessId: number, member: string, outcome: SharedOutcome | ''): void {
    const observed = this.#observed.get(businessId);
    this.#observed.delete(businessId);
    const args: (string | number)[] = [member, outcome, Date.now(), MAX_IN_FLIGHT, this.#options.leaseMs];
    for (const [operation, values] of observed ?? []) args.push(operation, ...values);
    void this.#link.run(scripts.release, this.#keys(businessId), args).then((reply) => {
      if (reply === DOWN) this.#remember(member, businessId);
    });
  }

  #remember(member: string, businessId: number): void {
    if (this.#unreleased.length < MAX_UNRELEASED) this.#unreleased.push([member, businessId]);
  }

  async #releaseLeftovers(): Promise<void> {
    for (const [member, businessId] of this.#unreleased.splice(0)) this.#release(businessId, member, '');
  }

  /** Redis went down: every waiter uses per-process limits now; what was learnt waits for nobody. */
  #fallBack(): void {
    for (const waiter of [...this.#waiters.values()]) waiter('down');
    this.#observed.clear();
  }

  #startRenewing(): void {
    if (this.#renewer !== undefined) return;
    this.#renewer = setInterval(() => this.#renew(), this.#options.leaseMs / 3);
    this.#renewer.unref();
  }

  #renew(): void {
    if (this.#held.size === 0) {
      clearInterval(this.#renewer);
      this.#renewer = undefined;
      return;
    }
    const byBusiness = new Map<number, string[]>();
    for (const [member, businessId] of this.#held) {
      byBusiness.set(businessId, [...(byBusiness.get(businessId) ?? []), member]);
    }
    for (const [businessId, members] of byBusiness) {
      const [slots] = this.#keys(businessId);
      void this.#link.run(scripts.renew, [slots as string], [this.#options.leaseMs, ...members]);
    }
  }
}

/** Tokens are `<store id>:<businessId>:<n>`. */
function businessOf(token: string): number {
  return Number(token.split(':')[1]);
}
