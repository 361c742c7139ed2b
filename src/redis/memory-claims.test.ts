// The Redis store's per-process fallback for claims, on an injected clock: leases, commits that last
// duplicateTtlMs, releases only by the owner, and a bounded number of keys.
import { describe, expect, it } from 'vitest';
import { MemoryClaims } from './memory-claims.ts';

function setUp(doneTtlMs = 1_000) {
  const clock = { now: 10_000 };
  return { clock, claims: new MemoryClaims(doneTtlMs, () => clock.now) };
}

describe('MemoryClaims', () => {
  it('gives a key to one owner while its lease lasts; the owner may claim it again', () => {
    const { clock, claims } = setUp();
    expect(claims.peek('k')).toBe('new');
    expect(claims.claim('k', 100, 'a')).toBe('new');
    expect(claims.peek('k')).toBe('running');
    expect(claims.claim('k', 100, 'b')).toBe('running');
    expect(claims.claim('k', 100, 'a')).toBe('new'); // a's own retry renews its lease
    clock.now += 99;
    expect(claims.claim('k', 100, 'b')).toBe('running');
    clock.now += 1;
    expect(claims.peek('k')).toBe('new'); // the lease ended
    expect(claims.claim('k', 100, 'b')).toBe('new');
  });

  it('keeps a committed key done for doneTtlMs, whoever claims it, then forgets it', () => {
    const { clock, claims } = setUp(1_000);
    claims.claim('k', 100, 'a');
    claims.commit('k', 'a');
    expect(claims.claim('k', 100, 'a')).toBe('done');
    expect(claims.claim('k', 100, 'b')).toBe('done');
    clock.now += 999;
    expect(claims.peek('k')).toBe('done');
    clock.now += 1;
    expect(claims.peek('k')).toBe('new');
    expect(claims.claim('k', 100, 'b')).toBe('new');
  });

  it('commits a late success after the lease lapsed or another owner took it', () => {
    const { clock, claims } = setUp();
    claims.claim('k', 100, 'slow');
    clock.now += 200;
    claims.claim('k', 100, 'second');
    claims.commit('k', 'slow');
    expect(claims.claim('k', 100, 'third')).toBe('done');
  });

  it('releases a claim only for its owner, and never a done key', () => {
    const { claims } = setUp();
    claims.claim('k', 100, 'a');
    claims.release('k', 'b');
    expect(claims.claim('k', 100, 'b')).toBe('running');
    claims.release('k', 'a');
    expect(claims.claim('k', 100, 'b')).toBe('new');
    claims.commit('k', 'b');
    claims.release('k', 'b');
    expect(claims.peek('k')).toBe('done');
    claims.release('never-claimed', 'a'); // nothing to release: no error
    expect(claims.peek('never-claimed')).toBe('new');
  });

  it('keeps the 10 000 most recently written keys', () => {
    const { claims } = setUp(60_000);
    for (let i = 0; i <= 10_000; i++) claims.commit(`k${i}`, 'a');
    expect(claims.peek('k0')).toBe('new'); // the oldest went first
    expect(claims.peek('k1')).toBe('done');
    expect(claims.peek('k10000')).toBe('done');
    claims.commit('k1', 'a'); // written again: now the newest
    claims.commit('k10001', 'a');
    expect(claims.peek('k1')).toBe('done');
    expect(claims.peek('k2')).toBe('new');
  });
});
