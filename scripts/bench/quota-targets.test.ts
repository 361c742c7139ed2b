import { describe, expect, it } from 'vitest';
import { idealMs, missedTargets } from './quota-targets.ts';

describe('idealMs', () => {
  it('is the last window alone for one window of calls, 4 at a time, 40 ms each', () => {
    expect(idealMs(40)).toBe(400);
    expect(idealMs(1)).toBe(40);
    expect(idealMs(5)).toBe(80);
  });

  it('adds a whole window for every window before the last', () => {
    expect(idealMs(200)).toBe(4 * 2000 + 400);
    expect(idealMs(41)).toBe(2000 + 40);
    expect(idealMs(80)).toBe(2000 + 400);
  });

  it('follows the limits it is given', () => {
    expect(idealMs(7, { quota: 3, windowMs: 1000, serviceMs: 10, maxInFlight: 2 })).toBe(2 * 1000 + 10);
  });
});

describe('missedTargets', () => {
  const oneClient = { clients: 1, calls: 200, failed: 0, wasted: 5, wallMs: 8400 * 1.15 };

  it('passes one client with no failure, one wasted request per window and wall 1.15x ideal', () => {
    expect(missedTargets(oneClient)).toEqual([]);
  });

  it('names each target one client misses', () => {
    expect(missedTargets({ ...oneClient, failed: 80, wasted: 6, wallMs: 8400 * 1.16 })).toEqual([
      'failed 80 > 0',
      'wasted 6 > 5',
      'wall/ideal 1.16 > 1.15',
    ]);
  });

  it('sets no target for one client within one window', () => {
    expect(missedTargets({ ...oneClient, calls: 40, failed: 3, wallMs: 4000 })).toBeUndefined();
    expect(missedTargets({ ...oneClient, calls: 41, failed: 3, wasted: 2, wallMs: 2040 })).toEqual([
      'failed 3 > 0',
    ]);
  });

  it('allows several clients 25 % of the calls wasted and 1.5x ideal', () => {
    const three = { clients: 3, calls: 40, failed: 0, wasted: 10, wallMs: 600 };
    expect(missedTargets(three)).toEqual([]);
    expect(missedTargets({ ...three, wasted: 11, wallMs: 604 })).toEqual([
      'wasted 11 > 10',
      'wall/ideal 1.51 > 1.5',
    ]);
  });
});
