// RedisLimits' slots once taken, on a fake link and fake timers: released once with the request's outcome
// and what was learnt of quota windows meanwhile, renewed while held, and given back once Redis answers
// again when their release could not reach it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  KEYS,
  memberOf,
  setUpLimits as setUp,
  slotOf,
  rateLimitState as state,
} from '../../test-support/redis-link-fake.ts';
import { DOWN } from './link.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const UNTIL = 1_800_000; // a window's end, server clock
const LATER = 1_900_000;

describe('RedisLimits slots', () => {
  it('frees a slot once, with the request’s outcome', async () => {
    const { link, enter } = setUp(9_000);
    const slot = slotOf(await enter());
    const member = memberOf(link.of('enter')[0]);
    vi.setSystemTime(1_000_050);
    slot.release('parallel-limit');
    slot.release('ok');
    expect(link.of('release')).toEqual([
      { name: 'release', keys: KEYS, args: [member, 'parallel-limit', 1_000_050, 4, 9_000] },
    ]);
    slotOf(await enter()).release(); // ended by an exception
    expect(link.of('release')[1]?.args[1]).toBe('other');
  });

  it('carries what was learnt of a window to Redis with the next release: the lowest Remaining of the latest window', async () => {
    const { link, limits, enter } = setUp();
    const slot = slotOf(await enter('createChat'));
    limits.observe(state(5, UNTIL), 'createChat', 1_799_000.4);
    limits.observe(state(3, UNTIL), 'createChat', 1_799_000.4);
    limits.observe(state(4, UNTIL), 'createChat', 1_799_000.4); // an answer overtaken by a later one
    limits.observe(state(undefined, UNTIL), 'createChat', 1_799_000.4); // no Remaining: no news
    limits.observe(state(9, UNTIL - 1), 'getChat', 1_799_000.6);
    limits.observe(state(2, UNTIL), 'getChat', undefined);
    limits.observe(state(7, undefined, 43), 'createChat', undefined); // another business
    slot.release('ok');
    expect(link.of('release')[0]?.args.slice(5)).toEqual([
      ...['createChat', String(UNTIL), '1799000', '3'],
      ...['getChat', String(UNTIL), '', '2'],
    ]);
    slotOf(await enter('createChat')).release('ok');
    expect(link.of('release')[1]?.args.slice(5)).toEqual([]); // sent once
  });

  it('keeps a later window over an earlier one, and an unknown Remaining until a known one comes', async () => {
    const { link, limits, enter } = setUp();
    const slot = slotOf(await enter());
    limits.observe(state(undefined, UNTIL), 'getChat', 1_000);
    limits.observe(state(30, UNTIL), 'getChat', 1_000);
    limits.observe(state(20, LATER), 'getChat', 2_000);
    limits.observe(state(1, UNTIL), 'getChat', 1_000); // the earlier window, answered late
    limits.observe(state(undefined, undefined), 'sendMessage', undefined);
    limits.observe(state(6, undefined), 'sendMessage', undefined);
    slot.release('ok');
    expect(link.of('release')[0]?.args.slice(5)).toEqual([
      ...['getChat', String(LATER), '2000', '20'],
      ...['sendMessage', '', '', '6'],
    ]);
  });

  it('renews the leases it holds every third of a lease, per business, until none is held', async () => {
    const { link, limits } = setUp(900);
    const enter = (businessId: number) => limits.enter(businessId, 'getChat', undefined, 1_000, Error);
    const a = slotOf(await enter(42));
    const b = slotOf(await enter(42));
    const c = slotOf(await enter(7));
    const [ma, mb, mc] = link.of('enter').map(memberOf);
    await vi.advanceTimersByTimeAsync(299);
    expect(link.of('renew')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(link.of('renew')).toEqual([
      { name: 'renew', keys: ['p:{b:42}:slots'], args: [900, ma, mb] },
      { name: 'renew', keys: ['p:{b:7}:slots'], args: [900, mc] },
    ]);
    a.release('ok');
    c.release('ok');
    await vi.advanceTimersByTimeAsync(300);
    expect(link.of('renew').slice(2)).toEqual([{ name: 'renew', keys: ['p:{b:42}:slots'], args: [900, mb] }]);
    b.release('ok');
    await vi.advanceTimersByTimeAsync(3_000);
    expect(link.of('renew')).toHaveLength(3);
    slotOf(await enter(42)); // renewing starts again
    await vi.advanceTimersByTimeAsync(300);
    expect(link.of('renew')).toHaveLength(4);
  });

  it('gives back, once Redis answers again, the slots whose release did not reach it', async () => {
    const { link, enter } = setUp();
    const slot = slotOf(await enter());
    const member = memberOf(link.of('enter')[0]);
    link.up = false;
    slot.release('ok');
    await vi.advanceTimersByTimeAsync(0);
    link.change(false);
    expect(link.of('release')).toHaveLength(1);
    link.change(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(link.of('release').map((call) => call.args.slice(0, 2))).toEqual([
      [member, 'ok'],
      [member, ''],
    ]);
    link.change(false);
    link.change(true);
    expect(link.of('release')).toHaveLength(2); // given back once
  });

  it('gives back the slot an entry may yet take when Redis failed during it, but not one sent to a Redis known down', async () => {
    const { link, enter } = setUp();
    link.answer('enter', DOWN); // e.g. over commandTimeoutMs: the script may still run
    expect(await enter()).toBeUndefined();
    link.up = false;
    expect(await enter()).toBeUndefined(); // never sent
    link.change(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(link.of('release').map((call) => call.args.slice(0, 2))).toEqual([
      [memberOf(link.of('enter')[0]), ''],
    ]);
  });

  it('remembers at most 1 000 slots to give back', async () => {
    const { link, enter } = setUp();
    const slots = [];
    for (let i = 0; i < 1_001; i++) slots.push(slotOf(await enter()));
    link.up = false;
    for (const slot of slots) slot.release('ok');
    await vi.advanceTimersByTimeAsync(0);
    link.change(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(link.of('release')).toHaveLength(1_001 + 1_000);
  });

  it('forgets what it learnt of windows when Redis goes down (nobody waits for it)', async () => {
    const { link, limits, enter } = setUp();
    limits.observe(state(3, UNTIL), 'getChat', 1_000);
    link.change(false);
    link.change(true);
    slotOf(await enter()).release('ok');
    expect(link.of('release')[0]?.args.slice(5)).toEqual([]);
  });

  it('on close, lets every waiter use per-process limits and stops renewing', async () => {
    const { link, limits, enter } = setUp(900);
    slotOf(await enter());
    link.answer('enter', ['queued', 'entry-1']);
    const waiting = enter();
    await vi.advanceTimersByTimeAsync(10);
    limits.close();
    expect(await waiting).toBeUndefined();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(link.of('renew')).toEqual([]);
  });

  it('ignores a message about no waiter it knows and that hands nothing out', () => {
    const { link, limits } = setUp();
    limits.deliver('');
    limits.deliver('id1:42:99|getChat recheck');
    expect(link.calls).toEqual([]);
  });
});
