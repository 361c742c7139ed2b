import { describe, expect, it } from 'vitest';
import { PeerTraffic } from './peer-traffic.ts';

describe('PeerTraffic', () => {
  it('counts the values missing between ours as calls of others, per call of ours, over the last gaps + 1', () => {
    const peers = new PeerTraffic();
    expect(peers.othersPerOwn(1, 'createChat', 1)).toBeUndefined();
    peers.observe(1, 'createChat', 30);
    expect(peers.othersPerOwn(1, 'createChat', 1)).toBeUndefined(); // one value has no gap
    peers.observe(1, 'createChat', 27); // 29 and 28 were others'
    expect(peers.othersPerOwn(1, 'createChat', 1)).toBe(2);
    peers.observe(1, 'createChat', 26); // nobody else between
    expect(peers.othersPerOwn(1, 'createChat', 1)).toBe(0);
    expect(peers.othersPerOwn(1, 'createChat', 2)).toBe(1); // 30..26: 2 of others over 2 gaps
    expect(peers.othersPerOwn(1, 'createChat', 3)).toBeUndefined();
  });

  it('reads values in any order (answers overtake each other) and never counts a repeated one below zero', () => {
    const peers = new PeerTraffic();
    for (const remaining of [20, 18, 19]) peers.observe(1, 'getChats', remaining);
    expect(peers.othersPerOwn(1, 'getChats', 2)).toBe(0);
    peers.observe(1, 'getChats', 19); // e.g. a header repeated by a proxy
    expect(peers.othersPerOwn(1, 'getChats', 1)).toBe(0);
  });

  it('keeps the counter of each business and operation apart, and starts over in a new window', () => {
    const peers = new PeerTraffic();
    peers.observe(1, 'getChats', 10);
    peers.observe(1, 'getChats', 5);
    peers.observe(2, 'getChats', 9);
    peers.observe(1, 'getChat', 7);
    expect(peers.othersPerOwn(1, 'getChats', 1)).toBe(4);
    expect(peers.othersPerOwn(2, 'getChats', 1)).toBeUndefined();
    expect(peers.othersPerOwn(1, 'getChat', 1)).toBeUndefined();
    peers.observe(1, 'getChats', 39); // above every value kept: the window was reset
    expect(peers.othersPerOwn(1, 'getChats', 1)).toBeUndefined();
    peers.observe(1, 'getChats', 38);
    expect(peers.othersPerOwn(1, 'getChats', 1)).toBe(0);
    peers.observe(1, 'getChats', 39); // the highest again: only a new window says a value twice
    expect(peers.othersPerOwn(1, 'getChats', 1)).toBeUndefined();
  });

  it('keeps the last 8 values of ours', () => {
    const peers = new PeerTraffic();
    for (let remaining = 100; remaining > 80; remaining -= 2) peers.observe(1, 'getChats', remaining);
    expect(peers.othersPerOwn(1, 'getChats', 7)).toBe(1);
    expect(peers.othersPerOwn(1, 'getChats', 8)).toBeUndefined();
  });

  it('forgets a business, and only that one', () => {
    const peers = new PeerTraffic();
    for (const businessId of [1, 12]) {
      peers.observe(businessId, 'getChats', 10);
      peers.observe(businessId, 'getChats', 9);
    }
    peers.forget(1);
    expect(peers.othersPerOwn(1, 'getChats', 1)).toBeUndefined();
    expect(peers.othersPerOwn(12, 'getChats', 1)).toBe(0);
  });
});
