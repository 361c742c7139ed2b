// A message or file is never sent twice after an outcome that may have reached the server, through the
// public client and Prism. The test's fetch wraps the recording one: it loses Prism's answer (holds it past
// timeoutMs, or breaks the connection after the request went out), or refuses the connection before
// anything is sent. Prism's log of requests (the recorder) shows what reached the "server".
import { describe, expect, it } from 'vitest';
import { ConnectionError, DeliveryUnknownError, type MarketClientHooks, TimeoutError } from '../src/index.ts';
import { rejectionOf } from '../test-support/fake-api.ts';
import { clientFor, isLive, MOCK_ONLY, type Recorder, useRecorder } from './harness.ts';
import { DRIVERS, type OperationDriver } from './operations.ts';

const recorder = useRecorder();
type RetryEvent = Parameters<NonNullable<MarketClientHooks['onRetry']>>[0];
// Short: the lost answer is held until the client gives up (below), so any timeout makes it late.
const TIMEOUT_MS = 100;

/** What undici throws when the network fails: `fetch failed` with the system error as its cause. */
function networkFailure(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`${code} (simulated)`), { code }) });
}

/**
 * Prism gets the request and answers; the answer is then lost as `lose` says ('late': given only after the
 * client's timeout aborted the request). Prism's copy of the request does not follow the client's abort,
 * so it arrives even when the mock is slower than timeoutMs;
 * `delivered` settles once Prism's answers are recorded.
 */
function losingAnswers(recorder: Recorder, lose: 'late' | 'reset') {
  const forward = recorder.fetch();
  const delivered: Promise<Response>[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const reaching = forward(new Request(request, { signal: null }));
    delivered.push(reaching);
    const response = await reaching;
    if (lose === 'reset') throw networkFailure('ECONNRESET');
    // Late for sure: held until the client's timeout has aborted the request.
    await new Promise((resolve) => {
      if (request.signal.aborted) resolve(undefined);
      else request.signal.addEventListener('abort', resolve, { once: true });
    });
    return response;
  };
  return { fetch, delivered: () => Promise.all(delivered) };
}

const writes = Object.entries(DRIVERS).filter(([, driver]) => driver.write);
const reads = Object.entries(DRIVERS).filter(([, driver]) => !driver.write);

describe.skipIf(isLive)(
  `writes are never repeated after an outcome that may have reached the server${MOCK_ONLY}`,
  () => {
    it('the spec has two writes', () => {
      expect(writes.map(([operationId]) => operationId).sort()).toEqual([
        'sendFileToChat',
        'sendMessageToChat',
      ]);
    });

    for (const [operationId, driver] of writes as [string, OperationDriver][]) {
      it(`${operationId}: an answer later than timeoutMs is DeliveryUnknownError (cause TimeoutError), sent once with maxRetries 2`, async () => {
        const retries: RetryEvent[] = [];
        const api = losingAnswers(recorder, 'late');
        const market = clientFor(recorder, {
          client: {
            fetch: api.fetch,
            timeoutMs: TIMEOUT_MS,
            maxRetries: 2,
            hooks: { onRetry: (event) => retries.push(event) },
          },
        });
        const error = await rejectionOf(driver.call(market));
        expect(error).toBeInstanceOf(DeliveryUnknownError);
        expect(error.cause).toBeInstanceOf(TimeoutError);
        expect((error as DeliveryUnknownError).attempts).toBe(1);
        await api.delivered();
        // Prism did get it, and said 200: a second attempt would have shown the customer a duplicate.
        expect(recorder.exchanges.map((e) => e.status)).toEqual([200]);
        expect(retries).toEqual([]);
      });

      it(`${operationId}: a connection broken after sending is DeliveryUnknownError (cause ConnectionError), sent once`, async () => {
        const api = losingAnswers(recorder, 'reset');
        const market = clientFor(recorder, { client: { fetch: api.fetch, maxRetries: 2 } });
        const error = await rejectionOf(driver.call(market));
        await api.delivered();
        expect(error).toBeInstanceOf(DeliveryUnknownError);
        expect(error.cause).toBeInstanceOf(ConnectionError);
        expect(recorder.exchanges).toHaveLength(1);
      });

      it(`${operationId}: a connection refused before anything was sent is retried, and reaches the server once`, async () => {
        const forward = recorder.fetch();
        let calls = 0;
        const retries: RetryEvent[] = [];
        const market = clientFor(recorder, {
          client: {
            fetch: (request) =>
              ++calls === 1 ? Promise.reject(networkFailure('ECONNREFUSED')) : forward(request),
            maxRetries: 1,
            hooks: { onRetry: (event) => retries.push(event) },
          },
        });
        await expect(driver.call(market)).resolves.toBeUndefined();
        expect(calls).toBe(2);
        expect(recorder.exchanges.map((e) => e.status)).toEqual([200]);
        expect(retries.map((r) => r.reason)).toEqual([expect.any(ConnectionError)]);
      });
    }

    for (const [operationId, driver] of reads as [string, OperationDriver][]) {
      it(`${operationId} (not a write): an answer later than timeoutMs is retried, a TimeoutError after maxRetries + 1`, async () => {
        const api = losingAnswers(recorder, 'late');
        const market = clientFor(recorder, {
          client: { fetch: api.fetch, timeoutMs: TIMEOUT_MS, maxRetries: 1 },
        });
        const error = await rejectionOf(driver.call(market));
        await api.delivered();
        expect(error).toBeInstanceOf(TimeoutError);
        expect((error as TimeoutError).attempts).toBe(2);
        expect(recorder.exchanges).toHaveLength(2);
      });
    }
  },
);
