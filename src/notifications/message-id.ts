// CHAT_MESSAGE_SENT carries `messageId` as a string; the Partner API's getChatMessage takes an int64 number.
import { ValidationError } from '../errors/validation-error.ts';
import { describe } from '../internal/validate-input.ts';

/**
 * The notification's `messageId` as the number `getChatMessage` takes. Throws a ValidationError naming
 * `messageId` unless it is a positive integer, written in plain digits, that a JavaScript number holds exactly.
 */
export function messageIdToNumber(messageId: string): number {
  if (typeof messageId !== 'string' || !/^[1-9][0-9]*$/.test(messageId)) {
    throw new ValidationError(
      'messageId',
      `must be a positive integer in digits, got ${describe(messageId)}`,
    );
  }
  const number = Number(messageId);
  if (!Number.isSafeInteger(number)) {
    throw new ValidationError(
      'messageId',
      `must be at most ${Number.MAX_SAFE_INTEGER}: a JavaScript number cannot hold it exactly, got ${describe(messageId)}`,
    );
  }
  return number;
}
