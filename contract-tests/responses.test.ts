// Every response code the spec declares, through the public client against the Prism mock: Prism is
// asked for the code and its named example (`Prefer: code=N, example=name`), and the client must turn it
// into the outcome expectations.ts names: the example's chatId, or the right error class with the
// example's status, code and message, retried exactly maxRetries times when the code is retryable.
import { describe, expect, it } from 'vitest';
import { ApiError, type MarketClientHooks, MarketError, RateLimitError } from '../src/index.ts';
import { rejectionOf } from '../src/test-support/fake-api.ts';
import { EXPECTED, planCases } from './expectations.ts';
import { clientFor, isLive, MOCK_ONLY, spec, useRecorder } from './harness.ts';
import { chatIdExample, errorExample, headerExamples, responseCodes } from './spec.ts';

const recorder = useRecorder();
const input = { businessId: 123456, context: { type: 'ORDER', id: 5123456789 } } as const;
const { cases, stale } = planCases(responseCodes(spec), EXPECTED);
type RetryEvent = Parameters<NonNullable<MarketClientHooks['onRetry']>>[0];

/** The rate-limit state the client must read from the example headers of response `code`. */
function expectedRateLimit(code: string) {
  const headers = headerExamples(spec, code);
  const until = headers['X-RateLimit-Resource-Until'];
  return {
    limit: headers['X-RateLimit-Resource-Limit'],
    remaining: headers['X-RateLimit-Resource-Remaining'],
    resetAt: typeof until === 'string' ? new Date(until) : undefined,
  };
}

describe.skipIf(isLive)(`every response code of ${spec.path}${MOCK_ONLY}`, () => {
  it('the expectation table names no code the spec does not declare', () => {
    expect(
      stale,
      `contract-tests/expectations.ts has outcomes for codes the spec does not declare: ${stale.join(', ')}`,
    ).toEqual([]);
  });

  for (const testCase of cases) {
    if ('problem' in testCase) {
      it(`response ${testCase.code}: has an expected outcome`, () => {
        throw new Error(testCase.problem);
      });
      continue;
    }
    const { code, status, expectation } = testCase;

    if (expectation.outcome === 'chat') {
      it(`response ${code} (example "${expectation.example}"): resolves with the example's chatId`, async () => {
        const chatId = chatIdExample(spec, code, expectation.example);
        const market = clientFor(recorder, { prefer: { code: status, example: expectation.example } });
        const result = await market.createChat(input);
        expect(result).toEqual({ chatId });
        expect(recorder.exchanges.map((e) => e.status)).toEqual([status]);
        expect(market.rateLimit).toMatchObject(expectedRateLimit(code));
      });
      continue;
    }

    const { errorClass, retryable, example } = expectation;
    const body = errorExample(spec, code, example);
    const first = body.errors[0];
    const attemptsFor = (maxRetries: number) => (retryable ? maxRetries + 1 : 1);

    // maxRetries 1 keeps the suite quick (one backoff of ~0.5 s per retryable code); 0 checks "retries off".
    for (const maxRetries of [0, 1]) {
      it(`response ${code} (example "${example}"), maxRetries ${maxRetries}: ${errorClass.name}, sent ${attemptsFor(maxRetries)} time(s)`, async () => {
        const retries: RetryEvent[] = [];
        const market = clientFor(recorder, {
          prefer: { code: status, example },
          client: { maxRetries, hooks: { onRetry: (event) => retries.push(event) } },
        });
        const error = await rejectionOf(market.createChat(input));

        expect(error).toBeInstanceOf(errorClass);
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toBeInstanceOf(MarketError);
        const apiError = error as ApiError;
        expect(apiError.name).toBe(errorClass.name);
        expect(apiError.status).toBe(status);
        expect(apiError.code).toBe(first?.code);
        expect(apiError.errors).toEqual(body.errors);
        expect(apiError.message).toContain(`HTTP ${status}`);
        expect(apiError.message).toContain(first?.code);
        if (first?.message !== undefined) expect(apiError.message).toContain(first.message);
        expect(apiError.rateLimit).toMatchObject(expectedRateLimit(code));
        if (apiError instanceof RateLimitError) {
          // Quota left (Remaining > 0) means the in-flight limit, which has no reset time; with none left
          // the reset is the example's Until.
          const expected = expectedRateLimit(code);
          const quotaLeft = typeof expected.remaining === 'number' && expected.remaining > 0;
          expect(apiError.resetAt).toEqual(quotaLeft ? undefined : expected.resetAt);
        }

        const attempts = attemptsFor(maxRetries);
        expect(apiError.attempts).toBe(attempts);
        expect(recorder.exchanges.map((e) => e.status)).toEqual(Array(attempts).fill(status));
        expect(retries.map((r) => r.attempt)).toEqual(Array.from({ length: attempts - 1 }, (_, i) => i + 1));
        for (const retry of retries) expect(retry.reason).toBeInstanceOf(errorClass);
      });
    }

    if (retryable) {
      it(`response ${code} then 200: the retry succeeds`, async () => {
        const market = clientFor(recorder, {
          prefer: (n) => (n === 1 ? { code: status, example } : { code: 200 }),
          client: { maxRetries: 1 },
        });
        const result = await market.createChat(input);
        const ok = EXPECTED['200'];
        expect(result.chatId).toBe(chatIdExample(spec, '200', ok?.example ?? ''));
        expect(recorder.exchanges.map((e) => e.status)).toEqual([status, 200]);
      });
    }
  }
});
