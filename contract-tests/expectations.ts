// What the client must make of each response code of each operation the spec declares. The operations
// and codes come from the spec (spec.ts); this table is the other half, keyed by operation and code, and
// the two must match: an operation or code in the spec without an entry here, or an entry for an
// operation or code the spec no longer declares, fails the suite naming both.
import {
  type ApiError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnauthorizedError,
} from '../src/index.ts';
import { DRIVERS } from './operations.ts';
import type { SpecOperation } from './spec.ts';

// biome-ignore lint/suspicious/noExplicitAny: error classes have differing constructor signatures
export type ApiErrorClass = abstract new (...args: any[]) => ApiError;

/**
 * How often a request that got this code is sent:
 * - `once`: never again, whatever maxRetries (a 4xx: the same request gets the same answer);
 * - `retried`: maxRetries more times (a 5xx of an operation that is safe to repeat);
 * - `rate-limit-resend`: sent again after a short wait, maxRateLimitResends more times whatever maxRetries,
 *   then a RateLimitError (a 420 while quota remains, as in every example: the in-flight limit, so the
 *   API did not act).
 */
export type Resend = 'once' | 'retried' | 'rate-limit-resend';

export type Expectation =
  /** Resolves with the typed result of each named example of the 200 (operations.ts says which). */
  | { outcome: 'result' }
  /** Rejects with `errorClass`, carrying the status, code and message of the named example. */
  | { outcome: 'error'; errorClass: ApiErrorClass; example: string; resend: Resend }
  /**
   * A write whose answer was a server error: it may have been delivered, so it is sent exactly once and
   * rejects with DeliveryUnknownError whose `cause` is `causeClass` with the example's status and errors.
   */
  | { outcome: 'delivery-unknown'; causeClass: ApiErrorClass; example: string };

const result = { outcome: 'result' } as const;
const error = (errorClass: ApiErrorClass, example: string, resend: Resend = 'once'): Expectation => ({
  outcome: 'error',
  errorClass,
  example,
  resend,
});
const deliveryUnknown = (example: string): Expectation => ({
  outcome: 'delivery-unknown',
  causeClass: ServerError,
  example,
});

export type ExpectationTable = Readonly<Record<string, Readonly<Record<string, Expectation>>>>;

export const EXPECTED: ExpectationTable = {
  createChat: {
    '200': result,
    '400': error(BadRequestError, 'badRequest'),
    '401': error(UnauthorizedError, 'unauthorized'),
    '403': error(ForbiddenError, 'forbidden'),
    '404': error(NotFoundError, 'notFound'),
    '420': error(RateLimitError, 'limitExceeded', 'rate-limit-resend'),
    '500': error(ServerError, 'internalError', 'retried'),
  },
  getChats: {
    '200': result,
    '400': error(BadRequestError, 'invalidPageToken'),
    '401': error(UnauthorizedError, 'unauthorized'),
    '403': error(ForbiddenError, 'forbiddenRead'),
    '404': error(NotFoundError, 'notFound'),
    '420': error(RateLimitError, 'getChatsLimitExceeded', 'rate-limit-resend'),
    '500': error(ServerError, 'internalError', 'retried'),
  },
  getChat: {
    '200': result,
    '400': error(BadRequestError, 'badRequest'),
    '401': error(UnauthorizedError, 'unauthorized'),
    '403': error(ForbiddenError, 'forbiddenRead'),
    '404': error(NotFoundError, 'chatNotFound'),
    '420': error(RateLimitError, 'getChatLimitExceeded', 'rate-limit-resend'),
    '500': error(ServerError, 'internalError', 'retried'),
  },
  getChatHistory: {
    '200': result,
    '400': error(BadRequestError, 'invalidPageToken'),
    '401': error(UnauthorizedError, 'unauthorized'),
    '403': error(ForbiddenError, 'forbiddenRead'),
    '404': error(NotFoundError, 'chatNotFound'),
    '420': error(RateLimitError, 'getChatHistoryLimitExceeded', 'rate-limit-resend'),
    '500': error(ServerError, 'internalError', 'retried'),
  },
  getChatMessage: {
    '200': result,
    '400': error(BadRequestError, 'badRequest'),
    '401': error(UnauthorizedError, 'unauthorized'),
    '403': error(ForbiddenError, 'forbiddenRead'),
    '404': error(NotFoundError, 'messageNotFound'),
    '420': error(RateLimitError, 'getChatMessageLimitExceeded', 'rate-limit-resend'),
    '500': error(ServerError, 'internalError', 'retried'),
  },
  sendMessageToChat: {
    '200': result,
    '400': error(BadRequestError, 'messageTooLong'),
    '401': error(UnauthorizedError, 'unauthorized'),
    '403': error(ForbiddenError, 'forbidden'),
    '404': error(NotFoundError, 'chatNotFound'),
    '420': error(RateLimitError, 'sendMessageToChatLimitExceeded', 'rate-limit-resend'),
    '500': deliveryUnknown('internalError'),
  },
  sendFileToChat: {
    '200': result,
    '400': error(BadRequestError, 'fileTooLarge'),
    '401': error(UnauthorizedError, 'unauthorized'),
    '403': error(ForbiddenError, 'forbidden'),
    '404': error(NotFoundError, 'chatNotFound'),
    '420': error(RateLimitError, 'sendFileToChatLimitExceeded', 'rate-limit-resend'),
    '500': deliveryUnknown('internalError'),
  },
};

export type Case =
  | { operationId: string; code: string; status: number; expectation: Expectation }
  | { operationId: string; code: string; problem: string };

/**
 * Pairs every response code of every operation of the spec with its expected outcome. A pair without one
 * (or a code that is not a plain status such as `default` or `5XX`, which Prism cannot be asked for, or
 * an operation the tests cannot call) becomes a case with a `problem` that names the operation and the
 * code; `stale` lists table entries (`operation code`) the spec does not declare.
 */
export function planCases(
  operations: readonly SpecOperation[],
  table: ExpectationTable = EXPECTED,
  drivers: Readonly<Record<string, unknown>> = DRIVERS,
): { cases: Case[]; stale: string[] } {
  const cases = operations.flatMap(({ operationId, codes }) =>
    codes.map((code): Case => {
      const expectation = table[operationId]?.[code];
      const where = `the spec declares response ${code} for ${operationId}`;
      if (!/^[1-5]\d\d$/.test(code)) {
        return {
          operationId,
          code,
          problem: `${where}, which is not a single HTTP status: declare the codes one by one so each can be tested`,
        };
      }
      if (drivers[operationId] === undefined) {
        return {
          operationId,
          code,
          problem: `${where}, but contract-tests/operations.ts cannot call ${operationId}: add a driver for it`,
        };
      }
      if (expectation === undefined) {
        return {
          operationId,
          code,
          problem: `${where}, but contract-tests/expectations.ts has no expected outcome for ${operationId} ${code}: add one (outcome, error class, example name, resend)`,
        };
      }
      return { operationId, code, status: Number(code), expectation };
    }),
  );
  const stale = Object.entries(table).flatMap(([operationId, codes]) => {
    const declared = operations.find((operation) => operation.operationId === operationId)?.codes ?? [];
    return Object.keys(codes)
      .filter((code) => !declared.includes(code))
      .map((code) => `${operationId} ${code}`);
  });
  return { cases, stale };
}

/** The cases that have an expected outcome, and the problems of the others. */
export function splitCases(cases: readonly Case[]) {
  const planned = cases.flatMap((c) => ('expectation' in c ? [c] : []));
  const problems = cases.flatMap((c) => ('problem' in c ? [c] : []));
  return { planned, problems };
}
