import { describe, expect, it } from 'vitest';
import { ServerClock } from './server-clock.ts';

const T = Date.parse('2026-11-25T12:00:00Z');

describe('ServerClock', () => {
  it('reads server times as ours before any Date was seen', () => {
    expect(new ServerClock().toLocal(T)).toBe(T);
  });

  it('keeps clocks that agree to the second exact, whatever fraction of the second the Date hid', () => {
    const clock = new ServerClock();
    clock.observe(T, T + 700, T + 740); // stamped 12:00:00 while ours read 12:00:00.700-.740
    expect(clock.offsetMs).toBe(0);
    expect(clock.toLocal(T + 2000)).toBe(T + 2000);
  });

  it('takes the middle of what one Date allows for a skewed clock, and narrows it with more responses', () => {
    const clock = new ServerClock();
    // Ours is 5 minutes ahead: the server stamped 11:55:00 while ours read 12:00:00.000-.100.
    clock.observe(T - 300_000, T, T + 100);
    expect(clock.offsetMs).toBe(-299_550); // between -300 100 and -299 000
    // 300 ms later by ours, the server's second has already turned: the offset is at least -299 400.
    clock.observe(T - 299_000, T + 400, T + 400);
    expect(clock.offsetMs).toBe(-299_200); // between -299 400 and -299 000
  });

  it('starts over when a Date contradicts what it knew (a clock was set)', () => {
    const clock = new ServerClock();
    clock.observe(T, T, T);
    clock.observe(T + 3_600_000, T + 1000, T + 1000); // the server's clock jumped an hour
    expect(clock.offsetMs).toBe(3_599_500);
  });

  it.each([
    ['starts at 0', T + 1_000, T + 1_000, T + 1_000, 0], // allows 0 to 1000: in sync
    ['ends at 0', T, T + 1_000, T + 1_000, 0], // allows -1000 to 0: in sync
    ['lies above 0', T + 1_001, T + 1_000, T + 1_000, 501], // allows 1 to 1001: its middle
  ])('reads one Date whose interval %s', (_, date, sentAt, receivedAt, offset) => {
    const clock = new ServerClock();
    clock.observe(date, sentAt, receivedAt);
    expect(clock.offsetMs).toBe(offset);
  });

  it('narrows to a single point when two intervals only touch, rather than starting over', () => {
    const clock = new ServerClock();
    clock.observe(T + 1_500, T + 500, T + 1_000); // allows 500 to 2000
    clock.observe(T + 1_000, T + 1_500, T + 1_500); // allows -500 to 500
    expect(clock.offsetMs).toBe(500);
    const other = new ServerClock();
    other.observe(T + 1_000, T + 1_500, T + 1_500); // allows -500 to 500
    other.observe(T + 1_500, T + 500, T + 1_000); // allows 500 to 2000
    expect(other.offsetMs).toBe(500);
  });

  it('starts over when the server clock went back', () => {
    const clock = new ServerClock();
    clock.observe(T + 3_600_000, T, T); // an hour ahead
    clock.observe(T, T + 1_000, T + 1_000); // in sync now
    expect(clock.offsetMs).toBe(0);
  });
});
