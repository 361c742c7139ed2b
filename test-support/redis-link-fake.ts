// A fake of the Redis store's Link for RedisLimits' unit tests: each script answers as Redis would, from
// per-script queues the test fills (then a default), and every call is recorded.
import type { RateLimitState } from '../src/base/rate-limit.ts';
import type { SharedSlot } from '../src/base/shared-limits.ts';
import { DOWN, type Link, type Script } from '../src/redis/link.ts';
import { CHECK, ENTER, LEAVE, RELEASE, RENEW } from '../src/redis/lua-limits.ts';
import { RedisLimits } from '../src/redis/redis-limits.ts';

const NAMES = new Map([
  [ENTER, 'enter'],
  [RELEASE, 'release'],
  [CHECK, 'check'],
  [LEAVE, 'leave'],
  [RENEW, 'renew'],
]);
type Name = 'enter' | 'release' | 'check' | 'leave' | 'renew';
export type Call = { name: Name; keys: readonly string[]; args: readonly (string | number)[] };

const DEFAULTS: Record<Name, unknown> = { enter: ['go'], release: 1, check: 'queued', leave: 1, renew: 1 };

/** A link whose scripts answer from per-script queues (then the defaults), recording every call. */
export function fakeLink() {
  const listeners: ((up: boolean) => void)[] = [];
  const queued: Record<Name, unknown[]> = { enter: [], release: [], check: [], leave: [], renew: [] };
  const calls: Call[] = [];
  const fake = {
    up: true,
    calls,
    of: (name: Name) => calls.filter((call) => call.name === name),
    answer(name: Name, ...replies: unknown[]) {
      queued[name].push(...replies);
    },
    async run(what: Script, keys: readonly string[], args: readonly (string | number)[]) {
      const name = NAMES.get(what.source) as Name;
      calls.push({ name, keys, args });
      if (!fake.up) return DOWN;
      return queued[name].length > 0 ? queued[name].shift() : DEFAULTS[name];
    },
    onChange: (listener: (up: boolean) => void) => listeners.push(listener),
    change(up: boolean) {
      fake.up = up;
      for (const listener of listeners) listener(up);
    },
  };
  return fake;
}

export const BUSINESS = 42;
/** The business's keys under prefix `p:`: one hash tag, so one slot of a Redis Cluster. */
export const KEYS = ['p:{b:42}:slots', 'p:{b:42}:queue', 'p:{b:42}:state'];

/** RedisLimits on a fake link; `enter` asks for business 42 with an onTimeout error 'no slot in time'. */
export function setUpLimits(leaseMs = 30_000) {
  const link = fakeLink();
  const limits = new RedisLimits(link as unknown as Link, {
    prefix: 'p:',
    leaseMs,
    channel: 'chan',
    id: 'id1',
  });
  const enter = (operation = 'getChat', maxWaitMs = 5_000, signal?: AbortSignal) =>
    limits.enter(BUSINESS, operation, signal, maxWaitMs, () => new Error('no slot in time'));
  return { link, limits, enter };
}

export const slotOf = (entry: unknown) => (entry as { slot: SharedSlot }).slot;
/** What a waiter is known by in Redis: the member its ENTER sent (`token|operation`). */
export const memberOf = (call: Call | undefined) => `${call?.args[0]}|${call?.args[1]}`;

/** A response's rate-limit state (for business 42 unless told). */
export function rateLimitState(
  remaining: number | undefined,
  resetAt?: number,
  businessId = BUSINESS,
): RateLimitState {
  return { businessId, limit: 40, remaining, resetAt: resetAt === undefined ? undefined : new Date(resetAt) };
}
