import { describe, expect, it } from 'vitest';
import { PeerTraffic } from './peer-traffic.ts';

const WINDOW = 1_800_000_000_000;

describe('PeerTraffic', () => {
  it('counts the values missing between ours as calls of others, per call of ours, over the last gaps + 1', () => {
    const peers = new PeerTraffic();
    expect(peers.othersPerOwn('createChat', 1)).toBeUndefined();
    peers.observe('createChat', 30, WINDOW);
    expect(peers.othersPerOwn('createChat', 1)).toBeUndefined(); // one value has no gap
    peers.observe('createChat', 27, WINDOW); // 29 and 28 were others'
    expect(peers.othersPerOwn('createChat', 1)).toBe(2);
    peers.observe('createChat', 26, WINDOW); // nobody else between
    expect(peers.othersPerOwn('createChat', 1)).toBe(0);
    expect(peers.othersPerOwn('createChat', 2)).toBe(1); // 30..26: 2 of others over 2 gaps
    expect(peers.othersPerOwn('createChat', 3)).toBeUndefined();
  });

  it('reads values in any order (answers overtake each other), and a value said twice is no call', () => {
    const peers = new PeerTraffic();
    for (const remaining of [18, 20, 19]) peers.observe('getChats', remaining, WINDOW);
    expect(peers.othersPerOwn('getChats', 2)).toBe(0);
    peers.observe('getChats', 19, WINDOW); // e.g. a header repeated by a proxy
    expect(peers.othersPerOwn('getChats', 1)).toBe(0);
  });

  it('keeps each operation apart, and starts over when Until names another window', () => {
    const peers = new PeerTraffic();
    peers.observe('getChats', 10, WINDOW);
    peers.observe('getChats', 5, WINDOW);
    peers.observe('getChat', 7, WINDOW);
    expect(peers.othersPerOwn('getChats', 1)).toBe(4);
    expect(peers.othersPerOwn('getChat', 1)).toBeUndefined();
    peers.observe('getChats', 3, WINDOW + 2_000); // lower, yet a new window: 5 to 3 says nothing
    expect(peers.othersPerOwn('getChats', 1)).toBeUndefined();
    peers.observe('getChats', 2, WINDOW + 2_000);
    expect(peers.othersPerOwn('getChats', 1)).toBe(0);
  });

  it('without Until, only a value above every one kept starts a new window', () => {
    const peers = new PeerTraffic();
    peers.observe('getChats', 20, undefined);
    peers.observe('getChats', 20, undefined); // the same value again: not a new window
    expect(peers.othersPerOwn('getChats', 1)).toBe(0);
    peers.observe('getChats', 39, undefined);
    expect(peers.othersPerOwn('getChats', 1)).toBeUndefined();
    peers.observe('getChats', 36, undefined);
    expect(peers.othersPerOwn('getChats', 1)).toBe(2);
    peers.observe('getChats', 38, undefined); // late, below the highest kept: the same window
    expect(peers.othersPerOwn('getChats', 2)).toBe(0.5); // 39, 36, 38: one of others (37) in 2 gaps
  });

  it('keeps the last 8 values of ours', () => {
    const peers = new PeerTraffic();
    for (let remaining = 100; remaining > 80; remaining -= 2) peers.observe('getChats', remaining, WINDOW);
    expect(peers.othersPerOwn('getChats', 7)).toBe(1);
    expect(peers.othersPerOwn('getChats', 8)).toBeUndefined();
  });
});
