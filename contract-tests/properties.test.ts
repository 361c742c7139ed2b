// Property-based contract tests (fast-check), bounded to keep the suite quick:
// - arbitrary valid inputs are sent in a shape Prism accepts, with no violations;
// - arbitrary responses Prism generates from the schemas (`Prefer: dynamic=true, seed=...`) are parsed
//   the way the spec says: a positive safe-integer chatId for 200, the right error class for errors;
// - arbitrary invalid inputs are refused by the client with a ValidationError naming the field, and
//   nothing is sent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ApiError, UnexpectedResponseError, ValidationError } from '../src/index.ts';
import { rejectionOf } from '../src/test-support/fake-api.ts';
import { EXPECTED, planCases } from './expectations.ts';
import { clientFor, isLive, MOCK_ONLY, spec, useRecorder } from './harness.ts';
import { OPERATION_PATH, responseCodes } from './spec.ts';

const recorder = useRecorder();
const RUNS = Number(process.env.CONTRACT_PROPERTY_RUNS ?? 25);

const positiveId = fc.oneof(
  fc.integer({ min: 1, max: 1_000_000 }),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(1, 2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER),
);
const chatType = fc.constantFrom('ORDER' as const, 'RETURN' as const);
const validInput = fc.record({
  businessId: positiveId,
  context: fc.record({ type: chatType, id: positiveId }),
});
/** A Prism seed: a token the Prefer header carries as is. */
const prismSeed = fc.stringMatching(/^[a-z0-9]{1,16}$/);

/** The chatId digits exactly as Prism wrote them (JSON.parse would round an unsafe int64). */
function rawChatId(body: string): string | undefined {
  return /"chatId"\s*:\s*(-?[0-9.eE+-]+)/.exec(body)?.[1];
}

describe.skipIf(isLive)(`arbitrary valid inputs against the mock${MOCK_ONLY}`, () => {
  it(`are accepted by Prism with no violations (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(validInput, async (input) => {
        const since = recorder.exchanges.length;
        const market = clientFor(recorder, { client: { maxRetries: 0 } });
        const result = await market.createChat(input);
        const exchange = recorder.exchanges[since];
        expect(recorder.violationReport(since)).toBeUndefined();
        expect(recorder.exchanges.length - since).toBe(1);
        expect(exchange?.status).toBe(200);
        expect(exchange?.path).toBe(OPERATION_PATH.replace('{businessId}', String(input.businessId)));
        expect(JSON.parse(exchange?.requestBody ?? 'null')).toEqual({ context: input.context });
        expect(Number.isSafeInteger(result.chatId) && result.chatId >= 1).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it(`dynamic 200 responses (seeded) parse to the generated chatId (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(validInput, prismSeed, async (input, seed) => {
        const since = recorder.exchanges.length;
        const market = clientFor(recorder, {
          prefer: { code: 200, dynamic: true, seed },
          client: { maxRetries: 0 },
        });
        const outcome = await market.createChat(input).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        );
        const exchange = recorder.exchanges[since];
        expect(recorder.violationReport(since)).toBeUndefined();
        expect(exchange?.status).toBe(200);
        const digits = rawChatId(exchange?.responseBody ?? '');
        const generated = digits !== undefined && /^\d+$/.test(digits) ? BigInt(digits) : undefined;
        if (generated !== undefined && generated >= 1n && generated <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(outcome, `Prism sent ${exchange?.responseBody}`).toEqual({
            result: { chatId: Number(generated) },
          });
        } else {
          // A chatId JavaScript cannot hold exactly (or none): the client must say so, not round it.
          expect('error' in outcome && outcome.error, `Prism sent ${exchange?.responseBody}`).toBeInstanceOf(
            UnexpectedResponseError,
          );
        }
      }),
      { numRuns: RUNS },
    );
  });

  const errorCases = planCases(responseCodes(spec), EXPECTED).cases.flatMap((c) =>
    'expectation' in c && c.expectation.outcome === 'error'
      ? [{ status: c.status, expectation: c.expectation }]
      : [],
  );

  it(`dynamic error responses (seeded) become the right error class with their errors (${RUNS} runs)`, async () => {
    expect(errorCases.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...errorCases),
        validInput,
        prismSeed,
        async (errorCase, input, seed) => {
          const since = recorder.exchanges.length;
          const market = clientFor(recorder, {
            prefer: { code: errorCase.status, dynamic: true, seed },
            client: { maxRetries: 0 },
          });
          const error = await rejectionOf(market.createChat(input));
          const exchange = recorder.exchanges[since];
          expect(recorder.violationReport(since)).toBeUndefined();
          expect(exchange?.status).toBe(errorCase.status);
          const body = JSON.parse(exchange?.responseBody ?? 'null') as { errors?: { code: string }[] | null };
          expect(error).toBeInstanceOf(errorCase.expectation.errorClass);
          const apiError = error as ApiError;
          expect(apiError.status).toBe(errorCase.status);
          expect(apiError.errors).toEqual(body.errors ?? []);
          expect(apiError.code).toBe(body.errors?.[0]?.code);
          expect(apiError.attempts).toBe(1);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

// ---- invalid input: refused locally, nothing sent (no network needed, runs in live mode too) ----------

const notAPositiveSafeInteger = fc.oneof(
  fc.integer({ min: -1_000_000, max: 0 }),
  fc.double({ noNaN: false }).filter((n) => !(Number.isSafeInteger(n) && n >= 1)),
  fc.constantFrom(0, -0, -1, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 2 ** 53 + 2, 1e21),
  fc.integer({ min: 1, max: 1_000_000 }).map(String),
  fc.string(),
  fc.constantFrom(null, undefined, true, {}, []),
  fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }),
);
const notAChatType = fc.oneof(
  fc.string().filter((s) => s !== 'ORDER' && s !== 'RETURN'),
  fc.constantFrom('DIRECT', 'order', 'return', ' ORDER', 'ORDER ', null, undefined, 1),
);
const notAContext = fc.constantFrom(undefined, null, 'ORDER', 5123456789, [], true);

const invalidInput = fc.oneof(
  fc.record({
    field: fc.constant('businessId'),
    businessId: notAPositiveSafeInteger,
    type: chatType,
    id: positiveId,
  }),
  fc.record({
    field: fc.constant('context.id'),
    businessId: positiveId,
    type: chatType,
    id: notAPositiveSafeInteger,
  }),
  fc.record({
    field: fc.constant('context.type'),
    businessId: positiveId,
    type: notAChatType,
    id: positiveId,
  }),
  fc.record({ field: fc.constant('context'), businessId: positiveId, context: notAContext }),
);

describe('arbitrary invalid inputs', () => {
  it(`are refused with a ValidationError naming the field, and zero requests (${RUNS * 4} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(invalidInput, async (bad) => {
        const since = recorder.exchanges.length;
        const sent: unknown[] = [];
        const market = clientFor(recorder, { client: { hooks: { onRequest: (event) => sent.push(event) } } });
        const input =
          'context' in bad
            ? { businessId: bad.businessId, context: bad.context }
            : { businessId: bad.businessId, context: { type: bad.type, id: bad.id } };
        const error = await rejectionOf(market.createChat(input as never));
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe(bad.field);
        expect((error as ValidationError).message).toContain(bad.field);
        expect(recorder.exchanges.length - since).toBe(0);
        expect(sent).toEqual([]);
      }),
      { numRuns: RUNS * 4 },
    );
  });
});
