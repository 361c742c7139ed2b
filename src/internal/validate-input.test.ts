import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operationRules } from '../../generated/rules.ts';
import { chatContextIdentifiableTypeValues } from '../../generated/schema.ts';
import { ValidationError } from '../errors/validation-error.ts';
import {
  describe as describeValue,
  findProblem,
  type Rule,
  validateCreateChatInput,
} from './validate-input.ts';

const validId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const invalidId = fc.oneof(
  fc.integer({ max: 0 }),
  fc.double().filter((n) => !Number.isSafeInteger(n) || n < 1),
  fc.string(),
  fc.constantFrom(null, undefined, true, [], {}, 1n),
);

describe('validateCreateChatInput', () => {
  it('accepts every positive safe integer pair with either chat type', () => {
    fc.assert(
      fc.property(
        validId,
        validId,
        fc.constantFrom(...chatContextIdentifiableTypeValues),
        (businessId, id, type) => {
          expect(validateCreateChatInput({ businessId, context: { type, id } })).toEqual({
            businessId,
            context: { type, id },
          });
        },
      ),
    );
  });

  it('refuses an unknown field, at the top or in context, naming it', () => {
    expect(() =>
      validateCreateChatInput({ businessId: 1, context: { type: 'ORDER', id: 1 }, orderid: 2 }),
    ).toThrow(/^orderid is not a field of this input/);
    expect(() =>
      validateCreateChatInput({ businessId: 1, context: { type: 'ORDER', id: 1, extra: 1 } }),
    ).toThrow(/^context\.extra is not a known field \(known: type, id\)/);
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

describe('findProblem, keyword by keyword', () => {
  const check = (rule: Rule, value: unknown) => findProblem(rule, value, 'x')?.problem;

  it.each([
    ['integer', 1, 1.5, 'must be an integer, got 1.5'],
    ['number', 1.5, Number.NaN, 'must be a number, got NaN'],
    ['string', '', 1, 'must be a string, got 1'],
    ['boolean', false, 'true', 'must be a boolean, got "true"'],
    ['object', {}, [], 'must be an object, got an array'],
    ['array', [], {}, 'must be an array, got an object'],
  ] as const)('type %s: accepts %o, refuses %o', (type, good, bad, problem) => {
    expect(check({ type }, good)).toBeUndefined();
    expect(check({ type }, bad)).toBe(problem);
  });

  it('type integer refuses integers beyond the safe range, whatever the format', () => {
    expect(check({ type: 'integer', format: 'int64' }, Number.MAX_SAFE_INTEGER)).toBeUndefined();
    expect(check({ type: 'integer', format: 'int64' }, 2 ** 53)).toMatch(/^must be at most 9007199254740991/);
  });

  it('format int32 keeps an integer within 32 bits', () => {
    const rule: Rule = { type: 'integer', format: 'int32' };
    expect(check(rule, 2 ** 31 - 1)).toBeUndefined();
    expect(check(rule, -(2 ** 31))).toBeUndefined();
    expect(check(rule, 2 ** 31)).toBe(
      'must fit in 32 bits (format int32, -2147483648 to 2147483647), got 2147483648',
    );
  });

  it.each([
    '2025-11-21T09:30:00+03:00',
    '2025-11-21T06:30:00Z',
    '2025-11-21t06:30:00.123z',
    '2024-02-29T00:00:00-05:30',
    '2016-12-31T23:59:60Z',
  ])('format date-time accepts %s', (value) => {
    expect(check({ type: 'string', format: 'date-time' }, value)).toBeUndefined();
  });

  it.each([
    '2025-11-21',
    '2025-11-21T09:30:00',
    '2025-11-21 09:30:00Z',
    '2025-02-29T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-11-31T00:00:00Z',
    '2025-11-21T24:00:00Z',
    '2025-11-21T09:60:00Z',
    '2025-11-21T09:30:00+0300',
    'Fri, 21 Nov 2025 06:30:00 GMT',
  ])('format date-time refuses %s', (value) => {
    expect(check({ type: 'string', format: 'date-time' }, value)).toMatch(
      /^must be an RFC 3339 date-time such as 2025-11-21T09:30:00\+03:00, got "/,
    );
  });

  it('format binary and unknown formats check nothing more than the type', () => {
    expect(check({ type: 'string', format: 'binary' }, '\u0000\uFFFF')).toBeUndefined();
    expect(check({ type: 'string', format: 'uuid' }, 'not a uuid')).toBeUndefined();
  });

  it('minimum and maximum are inclusive', () => {
    const rule: Rule = { type: 'integer', minimum: 1, maximum: 20 };
    expect(check(rule, 1)).toBeUndefined();
    expect(check(rule, 20)).toBeUndefined();
    expect(check(rule, 0)).toBe('must be >= 1, got 0');
    expect(check(rule, 21)).toBe('must be <= 20, got 21');
  });

  it('minLength and maxLength are inclusive', () => {
    const rule: Rule = { type: 'string', minLength: 1, maxLength: 3 };
    expect(check(rule, 'a')).toBeUndefined();
    expect(check(rule, 'abc')).toBeUndefined();
    expect(check(rule, '')).toBe('must be at least 1 characters (UTF-16 code units), got 0');
    expect(check(rule, 'abcd')).toBe('must be at most 3 characters (UTF-16 code units), got 4');
  });

  describe('maxLength 4096 counts UTF-16 code units, as Java does: an emoji counts 2', () => {
    const rule: Rule = { type: 'string', minLength: 1, maxLength: 4096 };
    const emoji = '😀';

    it('4096 code units pass, 4097 fail', () => {
      expect(check(rule, 'я'.repeat(4096))).toBeUndefined();
      expect(check(rule, 'я'.repeat(4097))).toBe(
        'must be at most 4096 characters (UTF-16 code units), got 4097',
      );
    });

    it('2048 emoji (4096 units) pass, 2049 emoji (4098 units, 2049 code points) fail', () => {
      expect(emoji.length).toBe(2);
      expect(check(rule, emoji.repeat(2048))).toBeUndefined();
      expect(check(rule, emoji.repeat(2049))).toBe(
        'must be at most 4096 characters (UTF-16 code units), got 4098',
      );
    });

    it('4095 units and one emoji fail although they are only 4096 code points', () => {
      const text = `${'a'.repeat(4095)}${emoji}`;
      expect([...text]).toHaveLength(4096);
      expect(check(rule, text)).toBe('must be at most 4096 characters (UTF-16 code units), got 4097');
    });
  });

  it('enum allows only its values, compared exactly', () => {
    const rule: Rule = { type: 'string', enum: ['NEW', 'FINISHED'] };
    expect(check(rule, 'NEW')).toBeUndefined();
    expect(check(rule, 'new')).toBe('must be one of NEW, FINISHED, got "new"');
  });

  it('acceptUnknownEnumValues lets a new value through, at any depth, but still checks its type', () => {
    const rule: Rule = {
      type: 'object',
      properties: { chats: { type: 'array', items: { type: 'string', enum: ['NEW', 'FINISHED'] } } },
    };
    const open = { acceptUnknownEnumValues: true };
    expect(findProblem(rule, { chats: ['NEW', 'ARCHIVED'] }, 'body', open)).toBeUndefined();
    expect(findProblem(rule, { chats: ['NEW', 5] }, 'body', open)).toEqual({
      field: 'body.chats[1]',
      problem: 'must be a string, got 5',
    });
    expect(findProblem(rule, { chats: ['ARCHIVED'] }, 'body')?.field).toBe('body.chats[0]');
  });

  it('required names the missing property by its path; present properties are checked', () => {
    const rule: Rule = {
      type: 'object',
      required: ['context'],
      properties: { context: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } },
    };
    expect(findProblem(rule, { context: { id: 1 } }, '')).toBeUndefined();
    expect(findProblem(rule, {}, '')).toEqual({ field: 'context', problem: 'is required' });
    expect(findProblem(rule, { context: {} }, 'body')).toEqual({
      field: 'body.context.id',
      problem: 'is required',
    });
    expect(findProblem(rule, { context: { id: 'a' } }, '')).toEqual({
      field: 'context.id',
      problem: 'must be an integer, got "a"',
    });
  });

  it('properties the rule does not name pass as they come', () => {
    expect(
      check({ type: 'object', properties: { a: { type: 'integer' } } }, { b: 'anything' }),
    ).toBeUndefined();
  });

  it('items checks each item, naming it with [i] inside a dotted path', () => {
    const rule: Rule = {
      type: 'object',
      properties: {
        filter: {
          type: 'object',
          properties: { statuses: { type: 'array', items: { type: 'string', enum: ['NEW', 'FINISHED'] } } },
        },
      },
    };
    expect(findProblem(rule, { filter: { statuses: ['NEW', 'FINISHED'] } }, '')).toBeUndefined();
    expect(findProblem(rule, { filter: { statuses: ['NEW', 'OPEN'] } }, '')).toEqual({
      field: 'filter.statuses[1]',
      problem: 'must be one of NEW, FINISHED, got "OPEN"',
    });
    expect(findProblem({ type: 'array', items: { type: 'integer' } }, [1, 'a'], '')?.field).toBe('[1]');
  });

  it('minItems and maxItems are inclusive', () => {
    const rule: Rule = { type: 'array', minItems: 1, maxItems: 2 };
    expect(check(rule, [1])).toBeUndefined();
    expect(check(rule, [1, 2])).toBeUndefined();
    expect(check(rule, [])).toBe('must have at least 1 item, got 0');
    expect(check(rule, [1, 2, 3])).toBe('must have at most 2 items, got 3');
  });

  it('uniqueItems refuses a repeated primitive, naming both positions', () => {
    const rule: Rule = { type: 'array', uniqueItems: true };
    expect(check(rule, ['NEW', 'FINISHED', 1, '1', true, 'true'])).toBeUndefined();
    expect(check(rule, ['NEW', 'FINISHED', 'NEW'])).toBe('must not repeat an item: [2] repeats [0] ("NEW")');
    expect(check(rule, [7, 7])).toBe('must not repeat an item: [1] repeats [0] (7)');
    expect(check({ type: 'array', uniqueItems: false }, [7, 7])).toBeUndefined();
  });

  it('uniqueItems compares objects by value, whatever the key order', () => {
    const rule: Rule = { type: 'array', uniqueItems: true };
    const order = { type: 'ORDER', id: 1 };
    expect(check(rule, [order, { type: 'RETURN', id: 1 }, { type: 'ORDER', id: 2 }])).toBeUndefined();
    expect(check(rule, [order, { id: 1, type: 'ORDER' }])).toBe(
      'must not repeat an item: [1] repeats [0] (an object)',
    );
  });

  it('uniqueItems compares nested arrays and objects by value; an undefined property is no property', () => {
    const rule: Rule = { type: 'array', uniqueItems: true };
    const c = (items: unknown[]) => findProblem(rule, items, 'f')?.problem;
    expect(
      c([
        [1, 2],
        [2, 1],
        [[1], 2],
      ]),
    ).toBeUndefined();
    expect(
      c([
        [1, [2]],
        [1, [2]],
      ]),
    ).toBe('must not repeat an item: [1] repeats [0] (an array)');
    expect(c([{ a: 1, b: undefined }, { a: 1 }])).toBe(
      'must not repeat an item: [1] repeats [0] (an object)',
    );
    expect(
      c([
        { c: 1, b: 2, a: 3 },
        { a: 3, c: 1, b: 2 },
      ]),
    ).toBe('must not repeat an item: [1] repeats [0] (an object)');
    expect(c([{ a: 1 }, { a: '1' }, { b: 1 }, { a: [1] }, null, 'null', {}, []])).toBeUndefined();
    expect(
      c([
        { a: 1, b: 2 },
        { a: 2, b: 1 },
      ]),
    ).toBeUndefined();
  });

  it('nullable: true allows null; without it the type refuses null, saying what is expected', () => {
    const list: Rule = { type: 'array', nullable: true, minItems: 1, items: { type: 'string' } };
    expect(check(list, null)).toBeUndefined();
    expect(check(list, [])).toBe('must have at least 1 item, got 0');
    expect(check({ type: 'array', minItems: 1 }, null)).toBe('must be an array, got null');
    expect(check({ type: 'integer', nullable: false }, null)).toBe('must be an integer, got null');
    const body: Rule = { type: 'object', properties: { statuses: list, limit: { type: 'integer' } } };
    expect(findProblem(body, { statuses: null }, 'filter')).toBeUndefined();
    expect(findProblem(body, { limit: null }, 'filter')).toEqual({
      field: 'filter.limit',
      problem: 'must be an integer, got null',
    });
  });
});

describe('the generated rules of the chat operations', () => {
  const { getChats, getChatHistory, sendMessageToChat } = operationRules;

  it('getChats: filter lists are null or non-empty, known and unique, named by path', () => {
    const filter = getChats.requestBody.schema;
    expect(findProblem(filter, {}, 'filter')).toBeUndefined();
    expect(findProblem(filter, { statuses: null, types: ['CHAT'] }, 'filter')).toBeUndefined();
    expect(findProblem(filter, { statuses: [] }, 'filter')).toEqual({
      field: 'filter.statuses',
      problem: 'must have at least 1 item, got 0',
    });
    expect(findProblem(filter, { statuses: ['NEW', 'OPEN'] }, 'filter')?.field).toBe('filter.statuses[1]');
    expect(findProblem(filter, { statuses: ['NEW', 'NEW'] }, 'filter')).toEqual({
      field: 'filter.statuses',
      problem: 'must not repeat an item: [1] repeats [0] ("NEW")',
    });
    expect(findProblem(filter, { contexts: [{ type: 'DIRECT', id: 1 }] }, 'filter')?.field).toBe(
      'filter.contexts[0].type',
    );
  });

  it('page limits: 1..20 for chats, 1..100 for messages', () => {
    expect(findProblem(getChats.parameters.limit.schema, 20, 'limit')).toBeUndefined();
    expect(findProblem(getChats.parameters.limit.schema, 21, 'limit')?.problem).toBe('must be <= 20, got 21');
    expect(findProblem(getChatHistory.parameters.limit.schema, 100, 'limit')).toBeUndefined();
    expect(findProblem(getChatHistory.parameters.limit.schema, 0, 'limit')?.problem).toBe(
      'must be >= 1, got 0',
    );
  });

  it('sendMessageToChat: 1 to 4096 UTF-16 code units', () => {
    const body = sendMessageToChat.requestBody.schema;
    expect(findProblem(body, { message: '😀'.repeat(2048) }, '')).toBeUndefined();
    expect(findProblem(body, { message: '😀'.repeat(2049) }, '')?.field).toBe('message');
    expect(findProblem(body, { message: '' }, '')?.field).toBe('message');
  });
});

describe('describe (a value in an error message)', () => {
  it('quotes strings, cutting those over 40 characters; names other kinds', () => {
    expect(describeValue('x'.repeat(40))).toBe(JSON.stringify('x'.repeat(40)));
    expect(describeValue('x'.repeat(41))).toBe(JSON.stringify(`${'x'.repeat(40)}...`));
    expect(describeValue(5n)).toBe('5n');
    expect(describeValue(null)).toBe('null');
    expect(describeValue([1])).toBe('an array');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(1.5)).toBe('1.5');
  });
});
