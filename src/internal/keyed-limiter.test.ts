import { describe, expect, it } from 'vitest';
import { KeyedLimiter } from './keyed-limiter.ts';

describe('KeyedLimiter', () => {
  it('grants slots in FIFO order per key and frees the key when idle', async () => {
    const limiter = new KeyedLimiter<string>(2);
    const order: string[] = [];
    const a1 = await limiter.acquire('a');
    const a2 = await limiter.acquire('a');
    const waiters = ['w1', 'w2'].map((name) =>
      limiter.acquire('a').then((release) => {
        order.push(name);
        return release;
      }),
    );
    const b1 = await limiter.acquire('b');
    expect(limiter.stats('a')).toEqual({ active: 2, waiting: 2 });
    a1();
    a1(); // releasing twice frees one slot only
    const w1 = await waiters[0];
    expect(order).toEqual(['w1']);
    expect(limiter.stats('a')).toEqual({ active: 2, waiting: 1 });
    a2();
    const w2 = await waiters[1];
    expect(order).toEqual(['w1', 'w2']);
    w1?.();
    w2?.();
    b1();
    expect(limiter.stats('a')).toEqual({ active: 0, waiting: 0 });
    expect(limiter.stats('b')).toEqual({ active: 0, waiting: 0 });
  });

  it('drops an aborted waiter from the queue', async () => {
    const limiter = new KeyedLimiter<string>(1);
    const held = await limiter.acquire('a');
    const controller = new AbortController();
    const aborted = limiter.acquire('a', controller.signal);
    const next = limiter.acquire('a');
    controller.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    expect(limiter.stats('a')).toEqual({ active: 1, waiting: 1 });
    held();
    const release = await next;
    release();
    expect(limiter.stats('a')).toEqual({ active: 0, waiting: 0 });
  });
});
