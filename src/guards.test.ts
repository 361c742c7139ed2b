import { describe, expect, expectTypeOf, it } from 'vitest';
import * as schema from '../generated/schema.ts';
import { MarketError } from './errors/market-error.ts';
import { ValidationError } from './errors/validation-error.ts';
import * as guards from './guards.ts';
import { isChatContextIdentifiableType, isMarketError } from './guards.ts';

describe('enum guards', () => {
  it('accept exactly the values of the spec', () => {
    expect(['ORDER', 'RETURN'].filter(isChatContextIdentifiableType)).toEqual(['ORDER', 'RETURN']);
    for (const value of [
      'order',
      'ORDER ',
      '',
      'toString',
      'constructor',
      1,
      null,
      undefined,
      {},
      ['ORDER'],
    ]) {
      expect(isChatContextIdentifiableType(value), String(value)).toBe(false);
    }
    expect(guards.isApiResponseStatusType('OK')).toBe(true);
    expect(guards.isApiResponseStatusType('ORDER')).toBe(false);
  });

  it('narrow the type', () => {
    const value: unknown = 'RETURN';
    if (isChatContextIdentifiableType(value)) expectTypeOf(value).toEqualTypeOf<'ORDER' | 'RETURN'>();
    else expect.unreachable();
  });

  it('exist for every enum that npm run generate writes values for', () => {
    const enums = Object.entries(schema).filter(([name]) => name.endsWith('Values'));
    expect(enums.length).toBeGreaterThan(0);
    for (const [name, values] of enums) {
      const guardName = `is${name[0]?.toUpperCase()}${name.slice(1, -'Values'.length)}`;
      const guard = (guards as Record<string, unknown>)[guardName];
      expect(guard, `${guardName} for ${name}`).toBeTypeOf('function');
      for (const value of values as readonly string[]) {
        expect((guard as (v: unknown) => boolean)(value), `${guardName}(${value})`).toBe(true);
      }
    }
  });
});

describe('isMarketError', () => {
  it('is true for the errors of this client and false for anything else', () => {
    expect(isMarketError(new ValidationError('x', 'is wrong'))).toBe(true);
    expect(isMarketError(new MarketError('x'))).toBe(true);
    const lookalike = Object.assign(new Error('x'), { name: 'MarketError' });
    for (const value of [
      lookalike,
      new DOMException('aborted', 'AbortError'),
      'MarketError',
      null,
      undefined,
    ]) {
      expect(isMarketError(value)).toBe(false);
    }
  });

  it('narrows the type', () => {
    const error: unknown = new ValidationError('x', 'is wrong');
    if (isMarketError(error)) expectTypeOf(error.toJSON).toBeFunction();
    else expect.unreachable();
  });
});
