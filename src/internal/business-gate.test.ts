import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rejectionOf } from '../../test-support/fake-api.ts';
import { BusinessGate } from './business-gate.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const timeout = () => new Error('no slot in time');
const WAIT = 60_000;

/** Acquires a slot, recording when it was granted. */
function take(gate: BusinessGate, log: string[], name: string, businessId = 1, signal?: AbortSignal) {
  return gate.acquire(businessId, signal, WAIT, timeout).then((release) => {
    log.push(name);
    return release;
  });
}

describe('BusinessGate', () => {
  it('grants up to its limit at once and the rest in FIFO order as slots are released', async () => {
    const gate = new BusinessGate(2);
    const log: string[] = [];
    const a = take(gate, log, 'a');
    const b = take(gate, log, 'b');
    const c = take(gate, log, 'c');
    const d = take(gate, log, 'd');
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a', 'b']);
    expect(gate.stats(1)).toEqual({ limit: 2, active: 2, waiting: 2 });
    (await b)();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a', 'b', 'c']);
    (await a)();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.stats(1)).toEqual({ limit: 2, active: 2, waiting: 0 });
    (await c)();
    (await d)();
    expect(gate.stats(1)).toEqual({ limit: 2, active: 0, waiting: 0 });
  });

  it('keeps businesses apart', async () => {
    const gate = new BusinessGate(1);
    const log: string[] = [];
    void take(gate, log, 'a', 1);
    void take(gate, log, 'b', 1);
    void take(gate, log, 'c', 2);
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a', 'c']);
    expect(gate.stats(2)).toEqual({ limit: 1, active: 1, waiting: 0 });
  });

  it('a slot released with an empty queue is taken again at once', async () => {
    const gate = new BusinessGate(1);
    const release = await gate.acquire(1, undefined, WAIT, timeout);
    release();
    expect(gate.stats(1)).toEqual({ limit: 1, active: 0, waiting: 0 });
    const again = await gate.acquire(1, undefined, WAIT, timeout);
    expect(gate.stats(1)).toEqual({ limit: 1, active: 1, waiting: 0 });
    again();
    expect(gate.stats(1)).toEqual({ limit: 1, active: 0, waiting: 0 });
  });

  it('a second release of the same slot frees nothing more', async () => {
    const gate = new BusinessGate(2);
    const log: string[] = [];
    const first = await take(gate, log, 'a');
    void take(gate, log, 'b');
    void take(gate, log, 'c');
    void take(gate, log, 'd');
    await vi.advanceTimersByTimeAsync(0);
    first();
    first();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(gate.stats(1)).toEqual({ limit: 2, active: 2, waiting: 1 });
  });

  it('rejects with the reason of a signal already aborted, taking no slot', async () => {
    const gate = new BusinessGate(1);
    const reason = new Error('gone');
    expect(await rejectionOf(gate.acquire(1, AbortSignal.abort(reason), WAIT, timeout))).toBe(reason);
    expect(gate.stats(1)).toEqual({ limit: 1, active: 0, waiting: 0 });
  });

  it('an abort while waiting leaves the queue: the others keep their order', async () => {
    const gate = new BusinessGate(1);
    const log: string[] = [];
    const controller = new AbortController();
    const first = await take(gate, log, 'a');
    void take(gate, log, 'b');
    const c = take(gate, log, 'c', 1, controller.signal);
    void take(gate, log, 'd');
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await rejectionOf(c)).toBe(reason);
    expect(gate.stats(1)).toEqual({ limit: 1, active: 1, waiting: 2 });
    first();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a', 'b']);
    expect(vi.getTimerCount()).toBe(1); // only d's wait is still timed
  });

  it('a wait longer than maxWaitMs rejects with onTimeout() and leaves the queue', async () => {
    const gate = new BusinessGate(1);
    const log: string[] = [];
    const first = await take(gate, log, 'a');
    const waiting = rejectionOf(gate.acquire(1, undefined, 5_000, timeout));
    void take(gate, log, 'c');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(gate.stats(1).waiting).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await waiting).message).toBe('no slot in time');
    expect(gate.stats(1).waiting).toBe(1);
    first();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a', 'c']);
  });

  it('a slot freed in the moment a wait ends goes past that waiter (timed out) to the next', async () => {
    const gate = new BusinessGate(1);
    const release = await gate.acquire(1, undefined, WAIT, timeout);
    const late = rejectionOf(gate.acquire(1, undefined, 1_000, timeout));
    const log: string[] = [];
    void take(gate, log, 'next');
    vi.setSystemTime(Date.now() + 1_000); // the clock is there, the waiter's timer has not run yet
    release();
    expect((await late).message).toBe('no slot in time');
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['next']);
    expect(gate.stats(1)).toEqual({ limit: 1, active: 1, waiting: 0 });
  });

  it('a granted slot is not timed out or aborted afterwards', async () => {
    const gate = new BusinessGate(1);
    const controller = new AbortController();
    const first = await gate.acquire(1, undefined, WAIT, timeout);
    const onTimeout = vi.fn(timeout);
    const second = gate.acquire(1, controller.signal, 5_000, onTimeout);
    first();
    const release = await second;
    await vi.advanceTimersByTimeAsync(10_000);
    controller.abort();
    expect(onTimeout).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    expect(gate.stats(1)).toEqual({ limit: 1, active: 1, waiting: 0 });
    release();
  });

  describe('the adaptive limit', () => {
    it('a congestion lowers the limit to the others in flight, never below 1, and says how many there are', async () => {
      const gate = new BusinessGate(4);
      const releases = await Promise.all([1, 2, 3, 4].map(() => gate.acquire(1, undefined, WAIT, timeout)));
      expect(gate.congested(1, 0)).toBe(3);
      expect(gate.stats(1).limit).toBe(3);
      releases[0]?.();
      releases[1]?.();
      expect(gate.congested(1, 0)).toBe(1); // 2 in flight: at most 1
      expect(gate.stats(1).limit).toBe(1);
      releases[2]?.();
      expect(gate.congested(1, 0)).toBe(0);
      expect(gate.stats(1).limit).toBe(1);
      releases[3]?.();
      expect(gate.stats(1)).toEqual({ limit: 1, active: 0, waiting: 0 }); // a lowered lane is kept
    });

    it('goes up one step after a second and four successes per slot, up to the maximum, and grants the waiting calls', async () => {
      const gate = new BusinessGate(3);
      const release = await gate.acquire(1, undefined, WAIT, timeout);
      gate.congested(1, 10_000);
      expect(gate.stats(1).limit).toBe(1);
      const log: string[] = [];
      void take(gate, log, 'b');
      void take(gate, log, 'c');
      const limits: number[] = [];
      // 4 successes within the second: no step; the 5th, a second on: to 2 (counts start over).
      for (const at of [10_100, 10_200, 10_300, 10_400, 11_000]) {
        gate.succeeded(1, at, 'createChat');
        limits.push(gate.stats(1).limit);
      }
      expect(limits).toEqual([1, 1, 1, 1, 2]);
      // A second later but only 7 successes at a limit of 2: no step; the 8th: to 3, the maximum.
      for (let i = 0; i < 7; i++) gate.succeeded(1, 12_000, 'createChat');
      expect(gate.stats(1).limit).toBe(2);
      gate.succeeded(1, 12_000, 'createChat');
      expect(gate.stats(1).limit).toBe(3);
      await vi.advanceTimersByTimeAsync(0);
      expect(log).toEqual(['b', 'c']);
      expect(gate.stats(1)).toEqual({ limit: 3, active: 3, waiting: 0 });
      release();
    });

    it('a congestion starts the second and the count over', async () => {
      const gate = new BusinessGate(4);
      const releases = await Promise.all([1, 2, 3].map(() => gate.acquire(1, undefined, WAIT, timeout)));
      gate.congested(1, 0); // 3 in flight: to 2
      for (let i = 0; i < 3; i++) gate.succeeded(1, 500, 'createChat');
      gate.congested(1, 900); // 3 in flight, limit 2: to 1
      for (let i = 0; i < 3; i++) gate.succeeded(1, 1_500, 'createChat');
      expect(gate.stats(1).limit).toBe(1);
      gate.succeeded(1, 1_800, 'createChat'); // 4 successes, but only 900 ms
      expect(gate.stats(1).limit).toBe(1);
      gate.succeeded(1, 1_900, 'createChat');
      expect(gate.stats(1).limit).toBe(2);
      for (const release of releases) release?.();
    });

    describe("steps up sooner when the quota counter shows the others' calls leave a slot unused", () => {
      const WINDOW = 2_000_000;

      /** A gate of 4 lowered to 1 (one call of ours was in flight at a 420) at t = 0. */
      async function loweredToOne() {
        const gate = new BusinessGate(4);
        const release = await gate.acquire(1, undefined, WAIT, timeout);
        gate.congested(1, 0);
        release();
        return gate;
      }

      /** Successes of ours at `at` ms whose answers said these Remaining values of createChat. */
      function succeed(gate: BusinessGate, at: number, ...remaining: number[]) {
        for (const value of remaining) {
          gate.admitted(1, 'createChat', value, WINDOW);
          gate.succeeded(1, at, 'createChat');
        }
      }

      /** The limit after each success. */
      function limitsOf(gate: BusinessGate, at: number, ...remaining: number[]) {
        return remaining.map((value) => {
          succeed(gate, at, value);
          return gate.stats(1).limit;
        });
      }

      it('alone (the counter falls by ours only): a step per round of ours, up to 4, long before a second', async () => {
        const gate = await loweredToOne();
        // At 1 a round is one success (and two values make a gap), at 2 two, at 3 three: one free slot will do.
        expect(limitsOf(gate, 10, 30, 29, 28, 27, 26, 25, 24)).toEqual([1, 2, 2, 3, 3, 3, 4]);
      });

      it('with others about, only while two slots are free: they may step up at the same moment', async () => {
        const gate = await loweredToOne();
        expect(limitsOf(gate, 10, 30, 28)).toEqual([1, 2]); // one call of theirs per ours: 1 + 1 of 4
        expect(limitsOf(gate, 20, 26, 24)).toEqual([2, 2]); // 2 of ours + 2 of theirs: full
        expect(limitsOf(gate, 30, 23, 21)).toEqual([2, 2]); // 24, 23, 21: 2 + 1, one free, not two
        expect(limitsOf(gate, 40, 20, 19)).toEqual([2, 3]); // nobody else: a step
      });

      it('reads the values in any order, and a value said twice is no call of others', async () => {
        const gate = await loweredToOne();
        expect(limitsOf(gate, 10, 30, 30)).toEqual([1, 2]); // a repeated header: nobody else
        // 28, 26, 27 (27 overtaken by 26): nobody else between 28 and 26 after all, a step at the round's end.
        expect(limitsOf(gate, 20, 28, 26, 27)).toEqual([2, 2, 3]);
      });

      it('starts the count over after a 420 and in a new window (by Until)', async () => {
        const gate = await loweredToOne();
        succeed(gate, 10, 30);
        const release = await gate.acquire(1, undefined, WAIT, timeout);
        gate.congested(1, 20); // still 1, and no miss: no step came before it
        release();
        expect(limitsOf(gate, 30, 29)).toEqual([1]); // 30, 29 would show nobody else, but 30 was before the 420
        gate.admitted(1, 'createChat', 10, WINDOW + 2_000); // a new window: 29 to 10 says nothing
        gate.succeeded(1, 40, 'createChat');
        expect(gate.stats(1).limit).toBe(1);
        gate.admitted(1, 'createChat', 9, WINDOW + 2_000);
        gate.succeeded(1, 50, 'createChat');
        expect(gate.stats(1).limit).toBe(2);
      });

      it('a 420 in the round after a step doubles the round asked; a 420 after a step that lasted is no miss', async () => {
        const gate = await loweredToOne();
        succeed(gate, 10, 30, 29); // to 2
        let releases = await Promise.all([1, 2].map(() => gate.acquire(1, undefined, WAIT, timeout)));
        gate.congested(1, 20); // a miss: to 1
        gate.congested(1, 21); // no step in between: no second miss
        for (const release of releases) release();
        expect(limitsOf(gate, 30, 20, 19)).toEqual([1, 2]); // a round of 2 at 1, not of 4
        expect(limitsOf(gate, 40, 18, 17)).toEqual([2, 2]); // the step lasted its round (2 at 2) ...
        releases = await Promise.all([1, 2].map(() => gate.acquire(1, undefined, WAIT, timeout)));
        gate.congested(1, 50); // ... so this 420 is news, not its miss: to 1
        for (const release of releases) release();
        expect(limitsOf(gate, 60, 16, 15)).toEqual([1, 2]); // still one miss: a round of 2
        expect(limitsOf(gate, 70, 14)).toEqual([2]); // one success at 2 is not yet a round ...
        releases = await Promise.all([1, 2].map(() => gate.acquire(1, undefined, WAIT, timeout)));
        gate.congested(1, 80); // ... so this 420 proves the step wrong: a second miss, to 1
        for (const release of releases) release();
        expect(limitsOf(gate, 90, 13, 12, 11, 10)).toEqual([1, 1, 1, 2]); // a round of 4
      });

      it('an answer for a business it does not know is ignored', () => {
        const gate = new BusinessGate(4);
        gate.admitted(5, 'createChat', 10, WINDOW);
        expect(gate.stats(5)).toEqual({ limit: 4, active: 0, waiting: 0 });
      });

      it('a lane back at its maximum and idle forgets its misses', async () => {
        const gate = await loweredToOne();
        succeed(gate, 10, 30, 29); // a peer step to 2 ...
        const two = await Promise.all([1, 2].map(() => gate.acquire(1, undefined, WAIT, timeout)));
        gate.congested(1, 20); // ... proved wrong: one miss, back to 1
        for (const release of two) release();
        for (let k = 1; k <= 30; k++) gate.succeeded(1, 1_000 + 1_000 * k, 'createChat'); // calm: back to 4
        expect(gate.stats(1).limit).toBe(4);
        (await gate.acquire(1, undefined, WAIT, timeout))(); // at 4 and idle: the lane goes
        const again = await gate.acquire(1, undefined, WAIT, timeout);
        gate.congested(1, 40_000); // alone in flight: to 1
        again();
        gate.admitted(1, 'createChat', 10, WINDOW); // e.g. a 500 of ours: counted, no success
        expect(limitsOf(gate, 40_100, 9)).toEqual([2]); // one success is a round again: no miss kept
      });
    });

    it('successes of a business at its maximum, or never seen, change nothing', async () => {
      const gate = new BusinessGate(4);
      gate.succeeded(7, 5_000, 'createChat');
      expect(gate.stats(7)).toEqual({ limit: 4, active: 0, waiting: 0 });
      const release = await gate.acquire(8, undefined, WAIT, timeout);
      for (let i = 0; i < 20; i++) {
        gate.admitted(8, 'createChat', 30 - i, undefined);
        gate.succeeded(8, 5_000 + i * 100, 'createChat'); // calm and alone, and still 4
      }
      expect(gate.stats(8)).toEqual({ limit: 4, active: 1, waiting: 0 });
      release();
    });

    it('a lane back at its maximum and idle is forgotten; one still lowered is kept', async () => {
      const gate = new BusinessGate(2);
      const release = await gate.acquire(1, undefined, WAIT, timeout);
      gate.congested(1, 0);
      release();
      expect(gate.stats(1).limit).toBe(1);
      for (let i = 0; i < 4; i++) gate.succeeded(1, 1_000, 'createChat');
      expect(gate.stats(1).limit).toBe(2);
      const again = await gate.acquire(1, undefined, WAIT, timeout);
      again();
      expect(gate.stats(1)).toEqual({ limit: 2, active: 0, waiting: 0 });
    });
  });

  it('keeps counting the slots in use when one is released while others are held', async () => {
    const gate = new BusinessGate(2);
    const log: string[] = [];
    const a = await take(gate, log, 'a');
    await take(gate, log, 'b');
    a();
    await take(gate, log, 'c');
    void take(gate, log, 'd');
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(gate.stats(1)).toEqual({ limit: 2, active: 2, waiting: 1 });
  });
});

describe('BusinessGate.forgetIdle', () => {
  it('frees a lowered lane idle for a minute; keeps one in use or idle for less', async () => {
    const gate = new BusinessGate(4);
    const now = Date.now();
    for (const businessId of [1, 2, 3]) {
      const [first, second] = await Promise.all([
        gate.acquire(businessId, undefined, WAIT, timeout),
        gate.acquire(businessId, undefined, WAIT, timeout),
      ]);
      gate.congested(businessId, now); // lowered to 1
      first();
      if (businessId !== 3) second();
    }
    vi.setSystemTime(now + 30_000);
    const release = await gate.acquire(2, undefined, WAIT, timeout);
    release(); // business 2 idle again from now + 30 s
    expect(gate.size).toBe(3);
    gate.forgetIdle(now + 60_000);
    expect(gate.size).toBe(2);
    expect(gate.stats(1)).toEqual({ limit: 4, active: 0, waiting: 0 });
    expect(gate.stats(2)).toEqual({ limit: 1, active: 0, waiting: 0 });
    expect(gate.stats(3)).toEqual({ limit: 1, active: 1, waiting: 0 });
    gate.forgetIdle(now + 90_000);
    expect(gate.size).toBe(1);
  });

  it('looks again only a second after its last look', async () => {
    const gate = new BusinessGate(4);
    const now = Date.now();
    const [first, second] = await Promise.all([
      gate.acquire(1, undefined, WAIT, timeout),
      gate.acquire(1, undefined, WAIT, timeout),
    ]);
    gate.congested(1, now);
    first();
    second(); // idle, lowered, from now
    gate.forgetIdle(now + 59_500);
    gate.forgetIdle(now + 60_499);
    expect(gate.size).toBe(1);
    gate.forgetIdle(now + 60_500);
    expect(gate.size).toBe(0);
  });

  it('a lowered lane called again after a minute idle, before any look, is back at its maximum', async () => {
    const gate = new BusinessGate(4);
    const now = Date.now();
    for (const [businessId, idleMs, limit] of [
      [1, 59_999, 1],
      [2, 60_000, 4],
    ] as const) {
      const [first, second] = await Promise.all([
        gate.acquire(businessId, undefined, WAIT, timeout),
        gate.acquire(businessId, undefined, WAIT, timeout),
      ]);
      gate.congested(businessId, now);
      vi.setSystemTime(now);
      first();
      second();
      vi.setSystemTime(now + idleMs);
      (await gate.acquire(businessId, undefined, WAIT, timeout))();
      expect(gate.stats(businessId).limit).toBe(limit);
    }
  });
});
