// The input checks shared by the operation modules, where a caller's mistake is named before anything is sent.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.ts';
import { checkParameters, defined, inputRecord } from './operation-input.ts';

describe('inputRecord', () => {
  it.each([
    ['x', 'got "x"'],
    [null, 'got null'],
    [[1], 'got an array'],
    [undefined, 'got undefined'],
  ])('%j is not an input object', (input, got) => {
    expect(() => inputRecord(input, ['businessId', 'chatId'])).toThrow(
      new ValidationError('input', `must be an object with businessId, chatId, ${got}`),
    );
    expect(() => inputRecord(input, ['businessId'])).toThrow(expect.objectContaining({ field: 'input' }));
  });

  it('names an unknown field and lists the known ones', () => {
    expect(() => inputRecord({ businessId: 1, chatid: 2 }, ['businessId', 'chatId'])).toThrow(
      expect.objectContaining({
        field: 'chatid',
        message: 'chatid is not a field of this input (known: businessId, chatId)',
      }),
    );
  });
});

describe('checkParameters', () => {
  const rules = {
    parameters: {
      chatId: { required: true, schema: { type: 'integer' as const, minimum: 1 } },
      limit: { required: false, schema: { type: 'integer' as const } },
    },
  };

  it('a missing required parameter is named; a missing optional one is fine', () => {
    expect(() => checkParameters(rules, {}, ['chatId'])).toThrow(
      expect.objectContaining({ field: 'chatId', message: 'chatId is required' }),
    );
    expect(() => checkParameters(rules, { chatId: 1 }, ['chatId', 'limit'])).not.toThrow();
  });

  it('a parameter without a rule is a bug in the operation module, not bad input', () => {
    expect(() => checkParameters(rules, { chatId: 1 }, ['pageToken'])).toThrow(
      new Error('no rule for parameter pageToken'),
    );
  });
});

describe('defined', () => {
  it('keeps only the entries that are defined', () => {
    expect(Object.keys(defined({ a: 1, b: undefined, c: null, d: 0 }))).toEqual(['a', 'c', 'd']);
  });
});
