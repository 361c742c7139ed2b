// Type guards for values that come from outside the type system (a queue message, a database row, JSON):
// one line per enum of the spec, derived from the value arrays that `npm run generate` writes.
import {
  apiResponseStatusTypeValues,
  chatContextIdentifiableTypeValues,
  chatContextTypeValues,
  chatMessageSenderTypeValues,
  chatStatusTypeValues,
  chatTypeValues,
} from '../generated/schema.ts';
import { MarketError } from './errors/market-error.ts';

/** A guard for one enum of the spec, from its generated array of values. */
export function enumGuard<T extends string>(values: ReadonlyArray<T>): (value: unknown) => value is T {
  const known: ReadonlySet<unknown> = new Set(values);
  return (value: unknown): value is T => known.has(value);
}

export const isApiResponseStatusType = enumGuard(apiResponseStatusTypeValues);
export const isChatContextIdentifiableType = enumGuard(chatContextIdentifiableTypeValues);
export const isChatContextType = enumGuard(chatContextTypeValues);
export const isChatMessageSenderType = enumGuard(chatMessageSenderTypeValues);
export const isChatStatusType = enumGuard(chatStatusTypeValues);
export const isChatType = enumGuard(chatTypeValues);

/** True for every error this client throws (any subclass of MarketError). */
export function isMarketError(value: unknown): value is MarketError {
  return value instanceof MarketError;
}
