// A redelivery that waits on a run of the same event in this process: the run's failure (in time or late)
// is reported to onError once, by the delivery that ran it, not once more per redelivery that waited.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHAT_MESSAGE as MESSAGE, postNotification } from '../../test-support/notifications.ts';
import { CallbackTimeoutError } from './deliver.ts';
import { createNotificationHandler } from './handler.ts';

const post = () => postNotification(JSON.stringify(MESSAGE));

afterEach(() => {
  vi.useRealTimers();
});

/** A handler whose callback fails when `fail` is called; onError's events in order. */
function failingLater() {
  vi.useFakeTimers();
  let fail: (error: Error) => void = () => {};
  const callback = vi.fn(() => new Promise<void>((_, reject) => (fail = reject)));
  const onError = vi.fn();
  const handle = createNotificationHandler({
    name: 'mug-shop-chats',
    version: '1.4.2',
    on: { CHAT_MESSAGE_SENT: callback },
    hooks: { onError },
    timeoutMs: 1000,
    claimGraceMs: 5000,
  });
  const reported = () =>
    onError.mock.calls.map(([event]) => [(event.error as Error).message, event.timedOut, event.key]);
  return { handle, callback, fail: (error: Error) => fail(error), onError, reported };
}

const KEY = 'CHAT_MESSAGE_SENT 123456/987654321/5123456001';

describe('a redelivery waiting on a run of the same event', () => {
  it("a late failure is reported once, by the run's own delivery, not by each waiter", async () => {
    const { handle, callback, fail, reported } = failingLater();
    const first = handle(post());
    await vi.advanceTimersByTimeAsync(1000);
    expect((await first).status).toBe(500);
    const second = handle(post());
    const third = handle(post());
    await vi.advanceTimersByTimeAsync(300);
    fail(new Error('down'));
    await vi.advanceTimersByTimeAsync(1);
    expect([(await second).status, (await third).status]).toEqual([500, 500]);
    expect(callback).toHaveBeenCalledOnce();
    expect(reported()).toEqual([
      ['the callback did not finish within 1000 ms', true, KEY],
      ['down', true, KEY],
    ]);
  });

  it('a failure within the first budget is reported once, while a redelivery waited on it', async () => {
    const { handle, callback, fail, reported } = failingLater();
    const first = handle(post());
    await vi.advanceTimersByTimeAsync(100);
    const second = handle(post());
    await vi.advanceTimersByTimeAsync(100);
    fail(new Error('down'));
    await vi.advanceTimersByTimeAsync(1);
    expect([(await first).status, (await second).status]).toEqual([500, 500]);
    expect(callback).toHaveBeenCalledOnce();
    expect(reported()).toEqual([['down', false, KEY]]);
  });

  it("a waiter whose own budget runs out answers 500 without a second report of the run's slowness", async () => {
    const { handle, fail, onError, reported } = failingLater();
    const first = handle(post());
    await vi.advanceTimersByTimeAsync(1000);
    const second = handle(post());
    await vi.advanceTimersByTimeAsync(1000);
    const answer = await second;
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({
      error: { type: 'UNKNOWN', message: 'handling took longer than 1000 ms; send it again' },
    });
    expect((await first).status).toBe(500);
    expect(onError).toHaveBeenCalledOnce();
    expect(onError.mock.calls[0]?.[0].error).toBeInstanceOf(CallbackTimeoutError);
    fail(new Error('down'));
    await vi.advanceTimersByTimeAsync(1);
    expect(reported().map(([message]) => message)).toEqual([
      'the callback did not finish within 1000 ms',
      'down',
    ]);
  });
});
