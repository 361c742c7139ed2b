// Every response code of every operation the spec declares, through the public client against the Prism
// mock: Prism is asked for the code and a named example (`Prefer: code=N, example=name`), and the client
// must turn it into the outcome expectations.ts names: the typed result of each 200 example, or the right
// error class with the example's status, code and message, sent as often as the code allows.
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  type AttemptErrorEvent,
  DeliveryUnknownError,
  type MarketClientHooks,
  MarketError,
  RateLimitError,
} from '../src/index.ts';
import { rejectionOf } from '../test-support/fake-api.ts';
import { type ApiErrorClass, type Case, planCases, type Resend, splitCases } from './expectations.ts';
import { clientFor, type Exchange, isLive, MOCK_ONLY, spec, useRecorder } from './harness.ts';
import { BUSINESS_ID, DRIVERS, type OperationDriver } from './operations.ts';
import {
  type ApiErrorExample,
  errorExample,
  headerExamples,
  responseExamples,
  specOperations,
} from './spec.ts';

const recorder = useRecorder();
const { cases, stale } = planCases(specOperations(spec));
const { planned, problems } = splitCases(cases);
type RetryEvent = Parameters<NonNullable<MarketClientHooks['onRetry']>>[0];
type HeldEvent = Parameters<NonNullable<MarketClientHooks['onHeld']>>[0];
type Planned = Extract<Case, { expectation: unknown }>;

/** The rate-limit state the client must read from the example headers of a response. */
function expectedRateLimit(operationId: string, code: string) {
  const headers = headerExamples(spec, operationId, code);
  const until = headers['X-RateLimit-Resource-Until'];
  return {
    businessId: BUSINESS_ID,
    limit: headers['X-RateLimit-Resource-Limit'],
    remaining: headers['X-RateLimit-Resource-Remaining'],
    resetAt: typeof until === 'string' ? new Date(until) : undefined,
  };
}

/** The error carries what the example says: class, status, Yandex's errors, and a message naming them. */
function expectApiError(
  error: unknown,
  errorClass: ApiErrorClass,
  { operationId, code, status }: Planned,
  body: ApiErrorExample,
): ApiError {
  expect(error).toBeInstanceOf(errorClass);
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toBeInstanceOf(MarketError);
  const apiError = error as ApiError;
  const first = body.errors[0];
  expect(apiError.name).toBe(errorClass.name);
  expect(apiError.status).toBe(status);
  expect(apiError.code).toBe(first?.code);
  expect(apiError.errors).toEqual(body.errors);
  expect(apiError.message).toContain(`${operationId}: HTTP ${status}`);
  expect(apiError.message).toContain(first?.code);
  if (first?.message !== undefined) expect(apiError.message).toContain(first.message);
  const rateLimit = expectedRateLimit(operationId, code);
  expect(apiError.rateLimit).toMatchObject(rateLimit);
  if (apiError instanceof RateLimitError) {
    // Quota left (Remaining > 0) means the in-flight limit, which has no reset time.
    const quotaLeft = typeof rateLimit.remaining === 'number' && rateLimit.remaining > 0;
    expect(apiError.resetAt).toEqual(quotaLeft ? undefined : rateLimit.resetAt);
  }
  return apiError;
}

/** The body byte for byte (as latin1), with a multipart body's boundary, which differs per request, blanked. */
function bodyWithoutBoundary(exchange: Exchange): string {
  const text = new TextDecoder('latin1').decode(exchange.requestBytes);
  const boundary = /boundary=(.+)$/.exec(exchange.requestHeaders['content-type'] ?? '')?.[1];
  return boundary === undefined ? text : text.replaceAll(boundary, '<boundary>');
}

const statuses = (exchanges: Exchange[]) => exchanges.map((e) => e.status);

function attemptsFor(resend: Resend, maxRetries: number): number {
  return resend === 'retried' ? maxRetries + 1 : 1;
}

describe.skipIf(isLive)(`every response code of every operation of ${spec.path}${MOCK_ONLY}`, () => {
  it('the expectation table names no operation or code the spec does not declare', () => {
    expect(
      stale,
      `contract-tests/expectations.ts has entries the spec does not declare: ${stale.join(', ')}`,
    ).toEqual([]);
  });

  for (const problem of problems) {
    it(`${problem.operationId} response ${problem.code}: has an expected outcome`, () => {
      throw new Error(problem.problem);
    });
  }

  for (const testCase of planned) {
    const { operationId, code, status, expectation } = testCase;
    const driver = DRIVERS[operationId] as OperationDriver;
    const name = `${operationId} ${code}`;

    if (expectation.outcome === 'result') {
      const examples = responseExamples(spec, operationId, code);
      it(`${name}: the spec has named examples to check against`, () => {
        expect(examples.map((e) => e.name)).not.toEqual([]);
      });
      for (const example of examples) {
        it(`${name} (example "${example.name}"): resolves with the example's typed result`, async () => {
          const market = clientFor(recorder, { prefer: { code: status, example: example.name } });
          const result = await driver.call(market);
          expect(result).toStrictEqual(driver.result(example.value));
          expect(statuses(recorder.exchanges)).toEqual([status]);
          expect(market.rateLimit).toMatchObject(expectedRateLimit(operationId, code));
        });
      }
      continue;
    }

    const body = errorExample(spec, operationId, code, expectation.example);
    const prefer = { code: status, example: expectation.example };

    if (expectation.outcome === 'delivery-unknown') {
      for (const maxRetries of [0, 1]) {
        it(`${name} (example "${expectation.example}"), maxRetries ${maxRetries}: DeliveryUnknownError with the ${expectation.causeClass.name} as cause, sent exactly once`, async () => {
          const retries: RetryEvent[] = [];
          // Even when the next answer would be a 200, nothing more is sent: the first may have been delivered.
          const market = clientFor(recorder, {
            prefer: (n) => (n === 1 ? prefer : { code: 200 }),
            client: { maxRetries, hooks: { onRetry: (event) => retries.push(event) } },
          });
          const error = await rejectionOf(driver.call(market));
          expect(error).toBeInstanceOf(DeliveryUnknownError);
          expect(error).not.toBeInstanceOf(ApiError);
          expect((error as DeliveryUnknownError).attempts).toBe(1);
          expect(error.message).toMatch(/may or may not have been delivered/);
          expect(error.message).toContain('getChatHistory');
          const cause = expectApiError(error.cause, expectation.causeClass, testCase, body);
          expect(cause.attempts).toBe(1);
          expect(statuses(recorder.exchanges)).toEqual([status]);
          expect(retries).toEqual([]);
        });
      }
      continue;
    }

    const { errorClass, resend } = expectation;

    if (resend === 'rate-limit-resend') {
      for (const maxRetries of [0, 1]) {
        it(`${name} (example "${expectation.example}") 3 times then 200, maxRetries ${maxRetries}: sent again after short waits, using maxRateLimitResends`, async () => {
          const retries: RetryEvent[] = [];
          const held: HeldEvent[] = [];
          const attemptErrors: AttemptErrorEvent[] = [];
          const market = clientFor(recorder, {
            prefer: (n) => (n <= 3 ? prefer : { code: 200 }),
            client: {
              maxRetries,
              hooks: {
                onRetry: (event) => retries.push(event),
                onHeld: (event) => held.push(event),
                onAttemptError: (event) => attemptErrors.push(event),
              },
            },
          });
          await expect(driver.call(market)).resolves.toStrictEqual(
            driver.result(responseExamples(spec, operationId, '200')[0]?.value ?? null),
          );
          expect(statuses(recorder.exchanges)).toEqual([status, status, status, 200]);
          expect(retries.map((r) => [r.attempt, r.budget])).toEqual([
            [1, 'rateLimitResends'],
            [2, 'rateLimitResends'],
            [3, 'rateLimitResends'],
          ]);
          expect(held.map((h) => [h.operation, h.reason])).toEqual(
            Array(3).fill([operationId, 'parallel-limit']),
          );
          // Each 420 was read as the example says, and reported as one that will be sent again.
          expect(attemptErrors.map((e) => [e.attempt, e.willRetry])).toEqual([
            [1, true],
            [2, true],
            [3, true],
          ]);
          for (const { error } of attemptErrors) expectApiError(error, errorClass, testCase, body);
          // The same request each time: a write is sent again only because the API surely did not act on it.
          const bodies = recorder.exchanges.map((e) => [e.url, bodyWithoutBoundary(e)]);
          expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
        });
      }
      it(`${name} (example "${expectation.example}") every time, maxRateLimitResends 2, maxRetries 1: ${errorClass.name} after 3 requests`, async () => {
        const market = clientFor(recorder, {
          prefer,
          client: { maxRetries: 1, maxRateLimitResends: 2 },
        });
        const error = expectApiError(await rejectionOf(driver.call(market)), errorClass, testCase, body);
        expect(error.attempts).toBe(3);
        expect(error.message).toContain('maxRateLimitResends (2) used up');
        expect(statuses(recorder.exchanges)).toEqual([status, status, status]);
      });
      continue;
    }

    for (const maxRetries of [0, 1]) {
      const attempts = attemptsFor(resend, maxRetries);
      it(`${name} (example "${expectation.example}"), maxRetries ${maxRetries}: ${errorClass.name}, sent ${attempts} time(s)`, async () => {
        const retries: RetryEvent[] = [];
        const market = clientFor(recorder, {
          prefer,
          client: { maxRetries, hooks: { onRetry: (event) => retries.push(event) } },
        });
        const error = expectApiError(await rejectionOf(driver.call(market)), errorClass, testCase, body);
        expect(error.attempts).toBe(attempts);
        expect(statuses(recorder.exchanges)).toEqual(Array(attempts).fill(status));
        expect(retries.map((r) => r.attempt)).toEqual(Array.from({ length: attempts - 1 }, (_, i) => i + 1));
        for (const retry of retries) expect(retry.reason).toBeInstanceOf(errorClass);
      });
    }

    if (resend === 'retried') {
      it(`${name} then 200: the retry succeeds`, async () => {
        const market = clientFor(recorder, {
          prefer: (n) => (n === 1 ? prefer : { code: 200 }),
          client: { maxRetries: 1 },
        });
        const ok = responseExamples(spec, operationId, '200')[0];
        await expect(driver.call(market)).resolves.toStrictEqual(driver.result(ok?.value ?? null));
        expect(statuses(recorder.exchanges)).toEqual([status, 200]);
      });
    }
  }
});
