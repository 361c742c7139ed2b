// The mock's error answers, each one the spec documents for the operation: a body of ApiErrorResponse,
// taken from the spec's own examples where the mock forces a code, and the codes the API uses.
import type { SpecOperation } from './api-operations.ts';

export interface Answer {
  status: number;
  body: unknown;
}

export const apiError = (status: number, code: string, message: string): Answer => ({
  status,
  body: { status: 'ERROR', errors: [{ code, message }] },
});

export const badRequest = (violations: readonly string[]) =>
  apiError(400, 'BAD_REQUEST', violations.join('; '));
export const unauthorized = (problem: string) => apiError(401, 'UNAUTHORIZED', problem);
export const tooManyInFlight = (max: number) =>
  apiError(420, 'LIMIT_EXCEEDED', `Hit rate limit of ${max} parallel requests`);
export const quotaUsedUp = (operation: SpecOperation, limit: number) =>
  apiError(
    420,
    'LIMIT_EXCEEDED',
    `Hit rate limit of ${limit} requests per 1 hour for ${operation.operationId}`,
  );

/** The answer `failNext` forces: the spec's example for that code, the one naming the operation if any. */
export function forcedAnswer(operation: SpecOperation, status: number): Answer {
  const examples = operation.responses[String(status)]?.examples ?? [];
  // The whole word: getChat's example is not getChats'.
  const ownName = new RegExp(`\\b${operation.operationId}\\b`);
  const own = examples.find((example) => ownName.test(JSON.stringify(example)));
  const body = own ??
    examples[0] ?? { status: 'ERROR', errors: [{ code: 'ERROR', message: `forced ${status}` }] };
  return { status, body };
}

/** The codes `failNext` may force for an operation: the error codes its spec lists. */
export function forcibleCodes(operation: SpecOperation): number[] {
  // Response keys are codes, 'default' or ranges like '4XX' (NaN: left out).
  return Object.keys(operation.responses)
    .map(Number)
    .filter((code) => code >= 400);
}
