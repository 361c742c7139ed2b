// What the client must make of each response code the spec declares. The codes themselves come from the
// spec (spec.ts); this table is the other half, and the two must match: a code in the spec without an
// entry here, or an entry for a code the spec no longer declares, fails the suite naming the code.
import {
  type ApiError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnauthorizedError,
} from '../src/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: error classes have differing constructor signatures
export type ApiErrorClass = abstract new (...args: any[]) => ApiError;

export type Expectation =
  /** createChat resolves with the chatId of the named 200 example. */
  | { outcome: 'chat'; example: string }
  /** createChat rejects with `errorClass`, carrying the status, code and message of the named example. */
  | { outcome: 'error'; errorClass: ApiErrorClass; retryable: boolean; example: string };

export const EXPECTED: Readonly<Record<string, Expectation>> = {
  '200': { outcome: 'chat', example: 'created' },
  '400': { outcome: 'error', errorClass: BadRequestError, retryable: false, example: 'badRequest' },
  '401': { outcome: 'error', errorClass: UnauthorizedError, retryable: false, example: 'unauthorized' },
  '403': { outcome: 'error', errorClass: ForbiddenError, retryable: false, example: 'forbidden' },
  '404': { outcome: 'error', errorClass: NotFoundError, retryable: false, example: 'notFound' },
  '420': { outcome: 'error', errorClass: RateLimitError, retryable: true, example: 'limitExceeded' },
  '500': { outcome: 'error', errorClass: ServerError, retryable: true, example: 'internalError' },
};

export type Case =
  | { code: string; status: number; expectation: Expectation }
  | { code: string; problem: string };

/**
 * Pairs every response code of the spec with its expected outcome. A code without one (or one that is
 * not a plain status such as `default` or `5XX`, which Prism cannot be asked for) becomes a case with a
 * `problem` that names it; `stale` lists table entries for codes the spec does not declare.
 */
export function planCases(
  specCodes: readonly string[],
  table: Readonly<Record<string, Expectation>> = EXPECTED,
): { cases: Case[]; stale: string[] } {
  const cases: Case[] = specCodes.map((code): Case => {
    const expectation = table[code];
    if (!/^[1-5]\d\d$/.test(code)) {
      return {
        code,
        problem: `the spec declares response "${code}" for createChat, which is not a single HTTP status: declare the codes one by one so each can be tested`,
      };
    }
    if (expectation === undefined) {
      return {
        code,
        problem: `the spec declares response ${code} for createChat, but contract-tests/expectations.ts has no expected outcome for ${code}: add one (outcome, error class, retryable, example name)`,
      };
    }
    return { code, status: Number(code), expectation };
  });
  const stale = Object.keys(table).filter((code) => !specCodes.includes(code));
  return { cases, stale };
}
