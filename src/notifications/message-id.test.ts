import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.ts';
import { messageIdToNumber } from './message-id.ts';

describe('messageIdToNumber', () => {
  it('converts the digits of a safe positive integer', () => {
    expect(messageIdToNumber('5123456001')).toBe(5123456001);
    expect(messageIdToNumber(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each(['', '0', '-1', '01', '1.5', '1e3', ' 12', '0x1f', '9007199254740993'])(
    'refuses %j with a ValidationError naming messageId',
    (messageId) => {
      expect(() => messageIdToNumber(messageId)).toThrow(ValidationError);
      expect(() => messageIdToNumber(messageId)).toThrow(/^messageId must/);
    },
  );

  it('refuses a value that is not a string, even one whose text would be digits', () => {
    expect(() => messageIdToNumber(5123456001 as never)).toThrow(
      'messageId must be a positive integer in digits, got 5123456001',
    );
  });
});
