import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rejectionOf } from '../../test-support/fake-api.ts';
import { onAbort, untilAborted } from './abort.ts';
import { settledWithin, sleep } from './sleep.ts';

describe('onAbort', () => {
  it('puts one listener on a signal however many subscribe, and calls each subscriber once', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    for (let i = 0; i < 20; i++) onAbort(controller.signal, () => calls.push(i));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect(calls).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an unsubscribed callback is not called; the others are', () => {
    const controller = new AbortController();
    const kept = vi.fn();
    const dropped = vi.fn();
    onAbort(controller.signal, kept);
    const unsubscribe = onAbort(controller.signal, dropped);
    unsubscribe();
    unsubscribe();
    controller.abort();
    expect(dropped).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledTimes(1);
  });

  it('after an abort, a new subscription to another signal is independent', () => {
    const first = new AbortController();
    const second = new AbortController();
    const onFirst = vi.fn();
    const onSecond = vi.fn();
    onAbort(first.signal, onFirst);
    onAbort(second.signal, onSecond);
    first.abort();
    expect(onFirst).toHaveBeenCalledTimes(1);
    expect(onSecond).not.toHaveBeenCalled();
    expect(getEventListeners(second.signal, 'abort')).toHaveLength(1);
  });
});

describe('untilAborted', () => {
  it('settles like the promise and, however often it is used, keeps one shared listener on the signal', async () => {
    const controller = new AbortController();
    await expect(untilAborted(Promise.resolve(5), controller.signal)).resolves.toBe(5);
    const failure = new Error('failed');
    expect(await rejectionOf(untilAborted(Promise.reject(failure), controller.signal))).toBe(failure);
    for (let i = 0; i < 20; i++) await untilAborted(Promise.resolve(i), controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
  });

  it('rejects at once with the reason of a signal already aborted', async () => {
    const reason = new Error('gone');
    expect(await rejectionOf(untilAborted(new Promise(() => {}), AbortSignal.abort(reason)))).toBe(reason);
  });

  it('rejects with the reason as soon as the signal aborts, even if the promise never settles', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const result = untilAborted(new Promise(() => {}), controller.signal);
    controller.abort(reason);
    expect(await rejectionOf(result)).toBe(reason);
  });
});

describe('sleep', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('waits the time exactly', async () => {
    const done = vi.fn();
    void sleep(1_000, undefined).then(done);
    await vi.advanceTimersByTimeAsync(999);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toHaveBeenCalledTimes(1);
  });

  it('with a signal that ends normally: resolves on time and leaves no timer or subscription', async () => {
    const controller = new AbortController();
    const done = vi.fn();
    void sleep(1_000, controller.signal).then(done);
    await vi.advanceTimersByTimeAsync(999);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    const clear = vi.spyOn(globalThis, 'clearTimeout');
    controller.abort();
    expect(clear).not.toHaveBeenCalled(); // the sleep's abort callback was unsubscribed
  });

  it('rejects with the reason of an abort during the wait, and clears its timer', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const result = sleep(1_000, controller.signal);
    await vi.advanceTimersByTimeAsync(500);
    controller.abort(reason);
    expect(await rejectionOf(result)).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once for a signal already aborted, setting no timer', async () => {
    const reason = new Error('gone');
    expect(await rejectionOf(sleep(1_000, AbortSignal.abort(reason)))).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('settledWithin', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is true when the promise settles in time, rejected or not, leaving no timer', async () => {
    const controller = new AbortController();
    await expect(settledWithin(Promise.resolve(), 1_000, controller.signal)).resolves.toBe(true);
    await expect(settledWithin(Promise.reject(new Error('x')), 1_000, undefined)).resolves.toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    const clear = vi.spyOn(globalThis, 'clearTimeout');
    controller.abort();
    expect(clear).not.toHaveBeenCalled();
    clear.mockRestore();
  });

  it('is false when the time runs out first, exactly then', async () => {
    const done = vi.fn();
    void settledWithin(new Promise(() => {}), 1_000, undefined).then(done);
    await vi.advanceTimersByTimeAsync(999);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toHaveBeenCalledWith(false);
  });

  it('rejects with the reason of an abort, now or before, clearing its timer', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const result = settledWithin(new Promise(() => {}), 1_000, controller.signal);
    controller.abort(reason);
    expect(await rejectionOf(result)).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    expect(await rejectionOf(settledWithin(Promise.resolve(), 1_000, AbortSignal.abort(reason)))).toBe(
      reason,
    );
  });
});
