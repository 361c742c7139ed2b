// The answers failNext may force and their bodies, for responses the spec may come to have: a code without
// examples, a range ('4XX') or 'default' (the spec's own operations are covered through the mock).
import { describe, expect, it } from 'vitest';
import { forcedAnswer, forcibleCodes } from './answers.ts';
import type { SpecOperation } from './api-operations.ts';

const response = (...examples: unknown[]) => ({ schemaPath: [], headers: {}, examples });
const operation = {
  operationId: 'getChat',
  responses: {
    '200': response(),
    '400': response({ status: 'ERROR', errors: [{ code: 'BAD_REQUEST', message: 'bad' }] }),
    '4XX': response(),
    '503': response(),
    default: response(),
  },
} as unknown as SpecOperation;

describe('failNext', () => {
  it('may force the error codes the operation lists, not its 200, ranges or default', () => {
    expect(forcibleCodes(operation)).toEqual([400, 503]);
  });

  it('answers an error body of ApiErrorResponse for a code whose response has no example (or that has no response)', () => {
    expect(forcedAnswer(operation, 503)).toEqual({
      status: 503,
      body: { status: 'ERROR', errors: [{ code: 'ERROR', message: 'forced 503' }] },
    });
    expect(forcedAnswer(operation, 418).body).toEqual({
      status: 'ERROR',
      errors: [{ code: 'ERROR', message: 'forced 418' }],
    });
    expect(forcedAnswer(operation, 400).body).toEqual({
      status: 'ERROR',
      errors: [{ code: 'BAD_REQUEST', message: 'bad' }],
    });
  });
});
