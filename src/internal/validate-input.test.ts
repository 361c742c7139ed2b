import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatContextIdentifiableTypeValues } from '../../generated/schema.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { findProblem, type Rule, validateCreateChatInput } from './validate-input.ts';

const validId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const invalidId = fc.oneof(
  fc.integer({ max: 0 }),
  fc.double().filter((n) => !Number.isSafeInteger(n) || n < 1),
  fc.string(),
  fc.constantFrom(null, undefined, true, [], {}, 1n),
);

describe('validateCreateChatInput', () => {
  it('accepts every positive safe integer pair with either chat type, copying only the known fields', () => {
    fc.assert(
      fc.property(
        validId,
        validId,
        fc.constantFrom(...chatContextIdentifiableTypeValues),
        (businessId, id, type) => {
          const input = { businessId, context: { type, id, extra: 1 } };
          expect(validateCreateChatInput(input)).toEqual({ businessId, context: { type, id } });
        },
      ),
    );
  });

  it('refuses any other businessId or context.id, naming the field', () => {
    fc.assert(
      fc.property(invalidId, fc.boolean(), (bad, inBusinessId) => {
        const input = inBusinessId
          ? { businessId: bad, context: { type: 'ORDER', id: 1 } }
          : { businessId: 1, context: { type: 'RETURN', id: bad } };
        let error: unknown;
        try {
          validateCreateChatInput(input);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe(inBusinessId ? 'businessId' : 'context.id');
      }),
    );
  });

  it('refuses any chat type but the spec enum', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !(chatContextIdentifiableTypeValues as readonly string[]).includes(s)),
        (type) => {
          expect(() => validateCreateChatInput({ businessId: 1, context: { type, id: 1 } })).toThrow(
            /^context\.type must be one of ORDER, RETURN/,
          );
        },
      ),
    );
  });
});

describe('findProblem', () => {
  const rule: Rule = {
    type: 'object',
    required: ['a'],
    properties: { a: { type: 'integer', minimum: 1, maximum: 10 }, b: { type: 'string', enum: ['X'] } },
  };

  it('walks required fields, properties, bounds and enums, naming the path', () => {
    expect(findProblem(rule, { a: 5, b: 'X' }, 'root')).toBeUndefined();
    expect(findProblem(rule, {}, 'root')).toEqual({ field: 'root.a', problem: 'is required' });
    expect(findProblem(rule, { a: 11 }, 'root')).toEqual({
      field: 'root.a',
      problem: 'must be <= 10, got 11',
    });
    expect(findProblem(rule, { a: 1, b: 'Y' }, '')).toEqual({
      field: 'b',
      problem: 'must be one of X, got "Y"',
    });
    expect(findProblem(rule, 'text', 'root')).toEqual({
      field: 'root',
      problem: 'must be an object, got "text"',
    });
  });
});
