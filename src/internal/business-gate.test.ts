import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rejectionOf } from '../test-support/fake-api.ts';
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
        gate.succeeded(1, at);
        limits.push(gate.stats(1).limit);
      }
      expect(limits).toEqual([1, 1, 1, 1, 2]);
      // A second later but only 7 successes at a limit of 2: no step; the 8th: to 3, the maximum.
      for (let i = 0; i < 7; i++) gate.succeeded(1, 12_000);
      expect(gate.stats(1).limit).toBe(2);
      gate.succeeded(1, 12_000);
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
      for (let i = 0; i < 3; i++) gate.succeeded(1, 500);
      gate.congested(1, 900); // 3 in flight, limit 2: to 1
      for (let i = 0; i < 3; i++) gate.succeeded(1, 1_500);
      expect(gate.stats(1).limit).toBe(1);
      gate.succeeded(1, 1_800); // 4 successes, but only 900 ms
      expect(gate.stats(1).limit).toBe(1);
      gate.succeeded(1, 1_900);
      expect(gate.stats(1).limit).toBe(2);
      for (const release of releases) release?.();
    });

    describe("steps up sooner when the others' calls leave a slot unused", () => {
      /** A gate of 4 lowered to 1 (one call of ours was in flight at a 420) at t = 0. */
      async function loweredToOne() {
        const gate = new BusinessGate(4);
        const release = await gate.acquire(1, undefined, WAIT, timeout);
        gate.congested(1, 0);
        release();
        return gate;
      }

      it('alone (no calls of others): a step per round of ours, up to the maximum, long before a second', async () => {
        const gate = await loweredToOne();
        const limits: number[] = [];
        for (let i = 0; i < 6; i++) {
          gate.succeeded(1, 10, 0);
          limits.push(gate.stats(1).limit);
        }
        // At 1: one success is a round; at 2: two; at 3: three (one free slot is enough with nobody else).
        expect(limits).toEqual([2, 2, 3, 3, 3, 4]);
      });

      it('with others about, only while two slots are free: they may step up at the same moment', async () => {
        const gate = await loweredToOne();
        gate.succeeded(1, 10, 1); // 1 of ours + 1 of theirs: 2 free
        expect(gate.stats(1).limit).toBe(2);
        gate.succeeded(1, 20, 1);
        gate.succeeded(1, 30, 1); // 2 of ours + 2 of theirs: full
        expect(gate.stats(1).limit).toBe(2);
        gate.succeeded(1, 40, 0.5); // 2 + 1: one free, not two
        expect(gate.stats(1).limit).toBe(2);
        gate.succeeded(1, 50, 0); // nobody else: a step
        expect(gate.stats(1).limit).toBe(3);
      });

      it('a step the others prove wrong (a 420 next) doubles the round asked for the next one', async () => {
        const gate = await loweredToOne();
        gate.succeeded(1, 10, 0);
        expect(gate.stats(1).limit).toBe(2);
        const releases = await Promise.all([1, 2].map(() => gate.acquire(1, undefined, WAIT, timeout)));
        gate.congested(1, 20); // back to 1, one miss
        for (const release of releases) release();
        gate.succeeded(1, 30, 0);
        expect(gate.stats(1).limit).toBe(1); // one success is no longer a round
        gate.succeeded(1, 40, 0);
        expect(gate.stats(1).limit).toBe(2);
        // A 420 after a step of the clock does not count as a miss: the next round is as long as before.
        for (let i = 0; i < 8; i++) gate.succeeded(1, 2_000, 9);
        expect(gate.stats(1).limit).toBe(3);
        const three = await Promise.all([1, 2, 3].map(() => gate.acquire(1, undefined, WAIT, timeout)));
        gate.congested(1, 2_100); // to 2; still one miss
        for (const release of three) release();
        gate.succeeded(1, 2_200, 0);
        gate.succeeded(1, 2_300, 0);
        gate.succeeded(1, 2_400, 0);
        expect(gate.stats(1).limit).toBe(2);
        gate.succeeded(1, 2_500, 0); // 2 per slot x 2 slots
        expect(gate.stats(1).limit).toBe(3);
      });

      it('only a step for the peers can be proved wrong: two 420s in a row are no miss', async () => {
        const gate = await loweredToOne();
        const release = await gate.acquire(1, undefined, WAIT, timeout);
        gate.congested(1, 10); // still 1
        release();
        gate.succeeded(1, 20, 0); // one round at 1, as with no miss
        expect(gate.stats(1).limit).toBe(2);
      });

      it('a lane back at its maximum and idle forgets its misses', async () => {
        const gate = await loweredToOne();
        gate.succeeded(1, 10, 0); // a peer step to 2 ...
        const two = await Promise.all([1, 2].map(() => gate.acquire(1, undefined, WAIT, timeout)));
        gate.congested(1, 20); // ... proved wrong: one miss, back to 1
        for (const release of two) release();
        gate.succeeded(1, 30, 0);
        expect(gate.stats(1).limit).toBe(1); // a round is two successes now
        gate.succeeded(1, 40, 0);
        for (let i = 0; i < 4 + 6; i++) gate.succeeded(1, 50, 0); // 2 x 2 at 2, 2 x 3 at 3: a peer step to 4
        expect(gate.stats(1).limit).toBe(4);
        (await gate.acquire(1, undefined, WAIT, timeout))(); // back at 4 and idle: the lane goes
        const again = await gate.acquire(1, undefined, WAIT, timeout);
        gate.congested(1, 1_300); // alone in flight: to 1
        again();
        gate.succeeded(1, 1_400, 0); // one success is a round again: the misses went with the idle lane
        expect(gate.stats(1).limit).toBe(2);
      });

      it('a minute idle forgets the misses with the lowered limit', async () => {
        const gate = await loweredToOne();
        gate.succeeded(1, 10, 0);
        const releases = await Promise.all([1, 2].map(() => gate.acquire(1, undefined, WAIT, timeout)));
        gate.congested(1, 20);
        for (const release of releases) release();
        vi.setSystemTime(Date.now() + 60_000);
        (await gate.acquire(1, undefined, WAIT, timeout))();
        expect(gate.stats(1).limit).toBe(4);
        const four = await Promise.all([1, 2].map(() => gate.acquire(1, undefined, WAIT, timeout)));
        gate.congested(1, Date.now()); // to 1, no miss: the last step was no peer step
        for (const release of four) release();
        gate.succeeded(1, Date.now(), 0);
        expect(gate.stats(1).limit).toBe(2);
      });
    });

    it('successes of a business at its maximum, or never seen, change nothing', async () => {
      const gate = new BusinessGate(4);
      gate.succeeded(7, 5_000);
      expect(gate.stats(7)).toEqual({ limit: 4, active: 0, waiting: 0 });
      const release = await gate.acquire(8, undefined, WAIT, timeout);
      for (let i = 0; i < 20; i++) gate.succeeded(8, 5_000 + i * 100, 0); // calm and alone, and still 4
      expect(gate.stats(8)).toEqual({ limit: 4, active: 1, waiting: 0 });
      release();
    });

    it('a lane back at its maximum and idle is forgotten; one still lowered is kept', async () => {
      const gate = new BusinessGate(2);
      const release = await gate.acquire(1, undefined, WAIT, timeout);
      gate.congested(1, 0);
      release();
      expect(gate.stats(1).limit).toBe(1);
      for (let i = 0; i < 4; i++) gate.succeeded(1, 1_000);
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
