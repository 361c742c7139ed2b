// Property-based response tests (fast-check), bounded to keep the suite quick: arbitrary responses Prism
// generates from the schemas (`Prefer: dynamic=true, seed=...`) for every operation and every code are
// read the way the spec says: a 200 gives the body's typed result (or, for an id JavaScript cannot hold
// exactly, an UnexpectedResponseError rather than a rounded id); an error code gives the error class of
// expectations.ts with the body's errors, sent as often as that code allows.
// Input properties are in input-properties.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApiError,
  DeliveryUnknownError,
  RateLimitError,
  ServerError,
  UnexpectedResponseError,
} from '../src/index.ts';
import { planCases, splitCases } from './expectations.ts';
import { clientFor, type Exchange, isLive, MOCK_ONLY, spec, useRecorder } from './harness.ts';
import { DRIVERS, type OperationDriver } from './operations.ts';
import { type Json, specOperations } from './spec.ts';

const recorder = useRecorder();
const RUNS = Number(process.env.CONTRACT_PROPERTY_RUNS ?? 25);
/** Error bodies are small (status and errors): half the runs find as much. */
const ERROR_RUNS = Math.ceil(RUNS / 2);
/** A Prism seed: a token the Prefer header carries as is. */
const prismSeed = fc.stringMatching(/^[a-z0-9]{1,16}$/);
const { planned } = splitCases(planCases(specOperations(spec)).cases);

/** Whether the parsed body holds a number beyond Number.MAX_SAFE_INTEGER (an int64 JSON.parse rounded). */
function holdsUnsafeInteger(value: unknown): boolean {
  if (typeof value === 'number') return Math.abs(value) > Number.MAX_SAFE_INTEGER;
  if (Array.isArray(value)) return value.some(holdsUnsafeInteger);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsUnsafeInteger);
  return false;
}

/** Yandex's error list as the client keeps it: items with a string code, their message if a string. */
function errorsOf(body: unknown): { code: string; message?: string }[] {
  const list = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const { code, message } = (item ?? {}) as { code?: unknown; message?: unknown };
    if (typeof code !== 'string') return [];
    return [typeof message === 'string' ? { code, message } : { code }];
  });
}

async function outcomeOf(call: Promise<unknown>): Promise<{ result: unknown } | { error: unknown }> {
  return call.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
}

function parsed(exchange: Exchange | undefined): unknown {
  return JSON.parse(exchange?.responseBody ?? 'null');
}

describe.skipIf(isLive)(`arbitrary (generated) responses of every operation${MOCK_ONLY}`, () => {
  for (const { operationId, code, status, expectation } of planned) {
    const driver = DRIVERS[operationId] as OperationDriver;
    const name = `${operationId} ${code}`;

    if (expectation.outcome === 'result') {
      it(`${name}: a generated 200 gives the body's typed result (${RUNS} runs)`, async () => {
        await fc.assert(
          fc.asyncProperty(prismSeed, async (seed) => {
            const since = recorder.exchanges.length;
            const market = clientFor(recorder, {
              prefer: { code: status, dynamic: true, seed },
              client: { maxRetries: 0 },
            });
            const outcome = await outcomeOf(driver.call(market));
            const exchange = recorder.exchanges[since];
            const body = parsed(exchange);
            const why = `Prism sent ${exchange?.responseBody}`;
            expect(recorder.violationReport(since)).toBeUndefined();
            expect(exchange?.status).toBe(status);
            const error = 'error' in outcome ? outcome.error : undefined;
            // The id of a single item is strict (a page leaves such an item out, see the drivers); any
            // other field breaking the spec is passed through.
            const result = (body as { result?: Record<string, unknown> } | null)?.result;
            const unsafeId = !driver.page && holdsUnsafeInteger(result?.chatId ?? result?.messageId);
            if (driver.write && (body as { status?: unknown } | null)?.status !== 'OK') {
              // A write's 200 that does not say OK may have been acted on: delivery unknown, never resent.
              expect(error, why).toBeInstanceOf(DeliveryUnknownError);
              expect((error as DeliveryUnknownError).cause).toBeInstanceOf(UnexpectedResponseError);
            } else if (unsafeId) {
              // An id JavaScript cannot hold exactly is refused, not rounded.
              expect(error, why).toBeInstanceOf(UnexpectedResponseError);
              expect((error as UnexpectedResponseError).status).toBe(status);
            } else {
              expect(outcome, why).toStrictEqual({ result: driver.result(body as Json) });
            }
          }),
          { numRuns: RUNS },
        );
      });
      continue;
    }

    it(`${name}: a generated error body gives ${expectation.outcome === 'error' ? expectation.errorClass.name : 'DeliveryUnknownError'} with its errors (${ERROR_RUNS} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(prismSeed, async (seed) => {
          const since = recorder.exchanges.length;
          const market = clientFor(recorder, {
            // A request sent again (a 420 in-flight limit) gets the 200 of the spec's first example.
            prefer: (n) => (n === 1 ? { code: status, dynamic: true, seed } : { code: 200 }),
            client: { maxRetries: 0 },
          });
          const outcome = await outcomeOf(driver.call(market));
          const sent = recorder.exchanges.slice(since);
          const body = parsed(sent[0]);
          const why = `Prism sent ${sent[0]?.responseBody} with headers ${JSON.stringify(sent[0]?.responseHeaders)}`;
          expect(recorder.violationReport(since)).toBeUndefined();
          expect(sent[0]?.status).toBe(status);

          if (expectation.outcome === 'delivery-unknown') {
            const error = 'error' in outcome ? outcome.error : undefined;
            expect(error, why).toBeInstanceOf(DeliveryUnknownError);
            expect((error as DeliveryUnknownError).cause).toBeInstanceOf(ServerError);
            expect(((error as DeliveryUnknownError).cause as ServerError).errors).toEqual(errorsOf(body));
            expect(sent).toHaveLength(1);
            return;
          }
          const remaining = Number(sent[0]?.responseHeaders['x-ratelimit-resource-remaining']);
          if (expectation.resend === 'rate-limit-resend' && remaining > 0) {
            // Quota left: the in-flight limit; the API did not act, so the request is sent again.
            expect(outcome, why).not.toHaveProperty('error');
            expect(sent.map((e) => e.status)).toEqual([status, 200]);
            return;
          }
          const error = 'error' in outcome ? outcome.error : undefined;
          expect(error, why).toBeInstanceOf(expectation.errorClass);
          const apiError = error as ApiError;
          expect(apiError.status).toBe(status);
          expect(apiError.errors).toEqual(errorsOf(body));
          expect(apiError.code).toBe(errorsOf(body)[0]?.code);
          if (apiError instanceof RateLimitError) expect(apiError.attempts).toBe(sent.length);
          else expect(sent).toHaveLength(1);
        }),
        { numRuns: ERROR_RUNS },
      );
    });
  }
});
