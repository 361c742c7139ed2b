// The engine's hooks through two fake operations (engine.ts starts and ends a call; the parts report
// what happens in it). The parts' own tests: call-loop, waits, waits.quota, send-attempt, thrown-send.
import { describe, expect, it, vi } from 'vitest';
import { apiError, rejectionOf } from '../../test-support/fake-api.ts';
import {
  callWith,
  DEFAULT_CALL,
  delayed,
  fakeEngine,
  getThing,
  hang,
  reset,
  sendThing,
  thing,
  useEngineClock,
} from '../../test-support/fake-operations.ts';
import { DeliveryUnknownError } from '../errors/delivery-unknown-error.ts';

const B1 = { businessId: 1, id: 1 };

useEngineClock();

describe('hooks', () => {
  it('onAttemptError sees every failed attempt with willRetry; onRetry each counted retry; onFailure the end', async () => {
    const onAttemptError = vi.fn();
    const onRetry = vi.fn();
    const onFailure = vi.fn();
    const { engine } = fakeEngine([reset(), apiError(500, 'OOPS', 'x'), apiError(404, 'GONE', 'y')], {
      hooks: { onAttemptError, onRetry, onFailure },
    });
    const result = rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(
      onAttemptError.mock.calls.map(([e]) => [
        e.operation,
        e.businessId,
        e.attempt,
        e.error.name,
        e.willRetry,
      ]),
    ).toEqual([
      ['getThing', 1, 1, 'ConnectionError', true],
      ['getThing', 1, 2, 'ServerError', true],
      ['getThing', 1, 3, 'NotFoundError', false],
    ]);
    expect(onAttemptError.mock.calls[2]?.[0].error).toBe(error);
    expect(onRetry.mock.calls.map(([e]) => [e.attempt, e.delayMs, e.reason.name])).toEqual([
      [1, 500, 'ConnectionError'],
      [2, 1_000, 'ServerError'],
    ]);
    expect(onFailure.mock.calls).toEqual([
      [{ callId: expect.any(Number), operation: 'getThing', businessId: 1, attempts: 3, error }],
    ]);
  });

  it('the last attempt of retries used up is reported with willRetry false, once to onFailure', async () => {
    const onAttemptError = vi.fn();
    const onFailure = vi.fn();
    const { engine } = fakeEngine([hang], { hooks: { onAttemptError, onFailure } });
    const result = rejectionOf(engine.call(getThing, B1, callWith({ timeoutMs: 100, maxRetries: 1 })));
    await vi.runAllTimersAsync();
    const error = await result;
    expect(onAttemptError.mock.calls.map(([e]) => [e.attempt, e.willRetry])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(onAttemptError.mock.calls[1]?.[0].error).toBe(error);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure.mock.calls[0]?.[0]).toMatchObject({ attempts: 2, error });
  });

  it('an attempt whose wait is not allowed is reported with willRetry false and the error thrown', async () => {
    const onAttemptError = vi.fn();
    const onRetry = vi.fn();
    const { engine } = fakeEngine([apiError(503, 'BUSY', 'x', { 'Retry-After': '120' })], {
      hooks: { onAttemptError, onRetry },
    });
    const error = await rejectionOf(engine.call(getThing, B1, DEFAULT_CALL));
    expect(onAttemptError).toHaveBeenCalledTimes(1);
    expect(onAttemptError.mock.calls[0]?.[0]).toMatchObject({ attempt: 1, willRetry: false, error });
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('onFailure gets the signal reason of an aborted call, with the requests sent', async () => {
    const onFailure = vi.fn();
    const { engine } = fakeEngine([hang], { hooks: { onFailure } });
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const result = rejectionOf(engine.call(getThing, B1, callWith({ signal: controller.signal })));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(reason);
    expect(await result).toBe(reason);
    expect(onFailure.mock.calls).toEqual([
      [{ callId: expect.any(Number), operation: 'getThing', businessId: 1, attempts: 1, error: reason }],
    ]);
  });

  it('onFailure sees a call whose signal had already aborted, nothing sent', async () => {
    const onFailure = vi.fn();
    const { engine, sent } = fakeEngine([thing(1)], { hooks: { onFailure } });
    const reason = new Error('gone');
    const error = await rejectionOf(
      engine.call(getThing, B1, callWith({ signal: AbortSignal.abort(reason) })),
    );
    expect(error).toBe(reason);
    expect(sent).toHaveLength(0);
    expect(onFailure.mock.calls).toEqual([
      [{ callId: expect.any(Number), operation: 'getThing', businessId: 1, attempts: 0, error: reason }],
    ]);
  });

  it('no failure hook fires for a call that succeeds after retries', async () => {
    const onFailure = vi.fn();
    const onAttemptError = vi.fn();
    const { engine } = fakeEngine([apiError(502, 'E', 'x'), thing(1)], {
      hooks: { onFailure, onAttemptError },
    });
    const result = engine.call(getThing, B1, DEFAULT_CALL);
    await vi.runAllTimersAsync();
    await result;
    expect(onFailure).not.toHaveBeenCalled();
    expect(onAttemptError).toHaveBeenCalledTimes(1);
  });

  it('onRequest and onResponse name the operation, business and attempt', async () => {
    const onRequest = vi.fn();
    const onResponse = vi.fn();
    const { engine } = fakeEngine([delayed(40, () => apiError(500, 'E', 'x'))], {
      hooks: { onRequest, onResponse },
    });
    await vi.advanceTimersByTimeAsync(1_000); // so that the clock does not start at 0
    const result = rejectionOf(engine.call(sendThing, { businessId: 5, id: 1 }, DEFAULT_CALL));
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(DeliveryUnknownError);
    expect(onRequest.mock.calls[0]?.[0]).toMatchObject({
      operation: 'sendThing',
      businessId: 5,
      attempt: 1,
      method: 'POST',
      url: `https://api.example.test/v2/businesses/5/things/send`,
      headers: { 'api-key': '[REDACTED]' },
    });
    expect(onResponse.mock.calls[0]?.[0]).toMatchObject({
      operation: 'sendThing',
      businessId: 5,
      attempt: 1,
      status: 500,
      durationMs: 40,
      headers: { 'content-type': 'application/json' },
    });
  });
});
