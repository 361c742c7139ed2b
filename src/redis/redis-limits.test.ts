// RedisLimits' side of the protocol, on a fake link (the scripts' answers as Redis would give them) and fake
// timers: slots, holds, waiters woken by a message or the once-a-second check, timeouts, aborts, leases
// renewed, quota observations carried to Redis, and the fallback while Redis is down. The scripts themselves
// run against a real Redis in lua-limits.test.ts and store.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type fakeLink, KEYS, memberOf, setUpLimits as setUp } from '../../test-support/redis-link-fake.ts';
import { CHECK } from './lua-limits.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RedisLimits.enter', () => {
  it('takes a slot with one script call on the business’s hash-tagged keys', async () => {
    const { link, enter } = setUp(9_000);
    const entry = await enter('getChat', 5_000);
    expect(entry).toHaveProperty('slot');
    expect(link.calls).toEqual([
      {
        name: 'enter',
        keys: KEYS,
        args: [expect.stringMatching(/^id1:42:\d+$/), 'getChat', 1_000_000, 4, 9_000, 5_000, 'chan'],
      },
    ]);
  });

  it('gives each entry a token of its own', async () => {
    const { link, enter } = setUp();
    await enter();
    await enter();
    const [a, b] = link.of('enter').map((call) => call.args[0]);
    expect(a).not.toBe(b);
  });

  it('holds until the time the script names', async () => {
    const { link, enter } = setUp();
    link.answer('enter', ['hold', '1234567']);
    expect(await enter()).toEqual({ holdUntil: 1_234_567 });
  });

  it('answers undefined while Redis is down, so that the client uses its own limits', async () => {
    const { link, enter } = setUp();
    link.change(false);
    expect(await enter()).toBeUndefined();
  });

  it('wakes a waiter as soon as the message that hands it a slot comes, without polling', async () => {
    const { link, limits, enter } = setUp();
    link.answer('enter', ['queued', 'entry-1']);
    let entry: unknown;
    void enter().then((e) => {
      entry = e;
    });
    await vi.advanceTimersByTimeAsync(900);
    expect(entry).toBeUndefined();
    expect(link.of('check')).toEqual([]);
    limits.deliver(`${memberOf(link.of('enter')[0])} go`);
    await vi.advanceTimersByTimeAsync(0);
    expect(entry).toHaveProperty('slot');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(link.of('check')).toEqual([]); // woken: no more checks
    expect(link.of('leave')).toEqual([]); // and no timeout
  });

  it('enters again on a recheck (the window ran out while it waited): then holds', async () => {
    const { link, limits, enter } = setUp();
    link.answer('enter', ['queued', 'entry-1'], ['hold', '1100000']);
    const entry = enter();
    await vi.advanceTimersByTimeAsync(10);
    limits.deliver(`${memberOf(link.of('enter')[0])} recheck`);
    expect(await entry).toEqual({ holdUntil: 1_100_000 });
    expect(link.of('enter')).toHaveLength(2);
  });

  it('asks after itself once a second in case the message was lost', async () => {
    const { link, enter } = setUp();
    link.answer('enter', ['queued', 'entry-1']);
    link.answer('check', 'queued', 'go');
    let entry: unknown;
    void enter().then((e) => {
      entry = e;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(link.of('check')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(link.of('check')).toHaveLength(1);
    const member = memberOf(link.of('enter')[0]);
    expect(link.of('check')[0]).toEqual({
      name: 'check',
      keys: KEYS,
      args: [member, 'entry-1', 1_001_000, 4, 30_000],
    });
    expect(entry).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(entry).toHaveProperty('slot');
  });

  it.each(['recheck', 'gone'])('enters again when the check answers %s', async (answer) => {
    const { link, enter } = setUp();
    link.answer('enter', ['queued', 'entry-1'], ['go']);
    link.answer('check', answer);
    const entry = enter();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await entry).toHaveProperty('slot');
    expect(link.of('enter')).toHaveLength(2);
  });

  it('stops checking when Redis is down during a check, and falls back when the link says so', async () => {
    const { link, enter } = setUp();
    link.answer('enter', ['queued', 'entry-1']);
    let entry: unknown = 'pending';
    void enter().then((e) => {
      entry = e;
    });
    await vi.advanceTimersByTimeAsync(10);
    link.up = false; // the check fails, then the link reports the outage
    await vi.advanceTimersByTimeAsync(990);
    expect(link.of('check')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(link.of('check')).toHaveLength(1);
    expect(entry).toBe('pending');
    link.change(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(entry).toBeUndefined();
  });

  it('gives up after maxWaitMs with onTimeout’s error and leaves the queue', async () => {
    const { link, enter } = setUp();
    link.answer('enter', ['queued', 'entry-1']);
    const entry = enter('getChat', 2_500);
    const failed = expect(entry).rejects.toThrow('no slot in time');
    await vi.advanceTimersByTimeAsync(2_499);
    expect(link.of('leave')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await failed;
    const member = memberOf(link.of('enter')[0]);
    expect(link.of('leave')).toEqual([
      { name: 'leave', keys: KEYS, args: [member, 'entry-1', 1_002_500, 4, 30_000] },
    ]);
  });

  it('counts the time already waited against maxWaitMs when it enters again', async () => {
    const { link, limits, enter } = setUp();
    link.answer('enter', ['queued', 'entry-1'], ['queued', 'entry-2']);
    const entry = enter('getChat', 2_000);
    const failed = expect(entry).rejects.toThrow('no slot in time');
    await vi.advanceTimersByTimeAsync(500);
    limits.deliver(`${memberOf(link.of('enter')[0])} recheck`);
    await vi.advanceTimersByTimeAsync(0);
    expect(link.of('enter')[1]?.args[5]).toBe(1_500);
    await vi.advanceTimersByTimeAsync(1_500);
    await failed;
  });

  it('rejects with the signal’s reason on abort and leaves the queue; an aborted signal sends nothing', async () => {
    const { link, enter } = setUp();
    link.answer('enter', ['queued', 'entry-1']);
    const controller = new AbortController();
    const entry = enter('getChat', 5_000, controller.signal);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('the caller gave up'));
    await expect(entry).rejects.toThrow('the caller gave up');
    expect(link.of('leave')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(link.of('check')).toEqual([]); // its timers went with it
    expect(link.of('leave')).toHaveLength(1);
    await expect(enter('getChat', 5_000, controller.signal)).rejects.toThrow('the caller gave up');
    expect(link.of('enter')).toHaveLength(1);
  });

  it('stops listening to the signal once it has a slot', async () => {
    const { link, limits, enter } = setUp();
    link.answer('enter', ['queued', 'entry-1']);
    const controller = new AbortController();
    const entry = enter('getChat', 5_000, controller.signal);
    await vi.advanceTimersByTimeAsync(10);
    limits.deliver(`${memberOf(link.of('enter')[0])} go`);
    expect(await entry).toHaveProperty('slot');
    controller.abort(new Error('later'));
    expect(link.of('leave')).toEqual([]);
  });

  it('gives back a slot handed to a waiter that had given up', async () => {
    const { link, limits, enter } = setUp();
    link.answer('enter', ['queued', 'entry-1']);
    const entry = enter('getChat', 100);
    const failed = expect(entry).rejects.toThrow('no slot in time');
    await vi.advanceTimersByTimeAsync(100);
    await failed;
    const member = memberOf(link.of('enter')[0]);
    limits.deliver(`${member} go`); // the script granted it before LEAVE ran
    expect(link.of('release')).toEqual([
      { name: 'release', keys: KEYS, args: [member, '', 1_000_100, 4, 30_000] },
    ]);
    limits.deliver(`${member} recheck`); // nothing to give back
    expect(link.of('release')).toHaveLength(1);
  });

  /** A link whose checks wait until the test answers them. */
  const slowChecks = (link: ReturnType<typeof fakeLink>) => {
    const answers: ((reply: unknown) => void)[] = [];
    const run = link.run;
    link.run = async (what, keys, args) => {
      if (what.source !== CHECK) return run(what, keys, args);
      link.calls.push({ name: 'check', keys, args });
      return new Promise((resolve) => answers.push(resolve));
    };
    return answers;
  };

  it('keeps the slot a message handed it when its check, sent meanwhile, then finds the slot granted', async () => {
    const { link, limits, enter } = setUp();
    const checks = slowChecks(link);
    link.answer('enter', ['queued', 'entry-1']);
    const entry = enter('getChat', 5_000);
    await vi.advanceTimersByTimeAsync(1_000); // the check is on its way...
    limits.deliver(`${memberOf(link.of('enter')[0])} go`); // ...when the message comes
    expect(await entry).toHaveProperty('slot');
    checks[0]?.('go'); // the same slot: the request now runs with it
    await vi.advanceTimersByTimeAsync(0);
    expect(link.of('release')).toEqual([]);
  });

  it('gives back a slot its check found granted after the waiter gave up', async () => {
    const { link, enter } = setUp();
    const checks = slowChecks(link);
    link.answer('enter', ['queued', 'entry-1']);
    const entry = enter('getChat', 1_200);
    const timedOut = expect(entry).rejects.toThrow('no slot in time');
    await vi.advanceTimersByTimeAsync(1_200);
    await timedOut;
    checks[0]?.('go');
    await vi.advanceTimersByTimeAsync(0);
    expect(link.of('release').map((call) => call.args.slice(0, 2))).toEqual([
      [memberOf(link.of('enter')[0]), ''],
    ]);
  });
});
