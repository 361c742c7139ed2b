// Checks the options of createMarketClient and of one call, so that a typo or a wrong unit fails at once
// with the option's name, instead of as a strange request later. Secrets are never echoed.
import { ValidationError } from '../errors/validation-error.ts';
import { describe } from './validate-input.ts';

/** setTimeout fires at once for delays above this (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function checkKnownKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ValidationError(key, `is not an option of ${where} (known: ${known.join(', ')})`);
    }
  }
}

/** A bare token for a header: visible ASCII, no spaces, no scheme prefix. */
export function checkToken(field: 'apiKey' | 'oauthToken', value: unknown): string {
  if (typeof value !== 'string') throw new ValidationError(field, `must be a string, got ${typeof value}`);
  if (value === '') throw new ValidationError(field, 'must not be empty');
  if (/^(bearer|oauth)\s/i.test(value)) {
    throw new ValidationError(field, 'must be the bare token, without a "Bearer " or "OAuth " prefix');
  }
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new ValidationError(
      field,
      'must be a token of visible ASCII characters, without spaces or line breaks',
    );
  }
  return value;
}

/**
 * https anywhere; plain http only on loopback, where a mock or a local proxy runs, or anywhere when
 * `allowInsecureHttp` is set (a mock in another container). A refused value is never echoed whole:
 * userinfo, a query or a path may hold a key, and a string that is no URL may be one.
 */
export function checkBaseUrl(value: unknown, allowInsecureHttp = false): string {
  if (typeof value !== 'string')
    throw new ValidationError('baseUrl', `must be a string, got ${describe(value)}`);
  if (!URL.canParse(value)) {
    throw new ValidationError(
      'baseUrl',
      'must be an absolute URL with its scheme, such as https://api.partner.market.yandex.ru ' +
        '(the value is not shown: it may hold credentials)',
    );
  }
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') {
    throw new ValidationError('baseUrl', 'must not contain credentials; pass apiKey or oauthToken instead');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ValidationError('baseUrl', 'must not have a query or fragment');
  }
  const httpAllowed = allowInsecureHttp || LOOPBACK_HOSTS.test(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && httpAllowed)) {
    return value.replace(/\/+$/, '');
  }
  const got = url.protocol === 'http:' ? `${url.protocol}//${url.host}` : `a ${url.protocol} URL`;
  throw new ValidationError(
    'baseUrl',
    `must use https (plain http only for loopback hosts such as 127.0.0.1), got ${got}`,
  );
}

export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new ValidationError(field, `must be true or false, got ${describe(value)}`);
  return value;
}

export function checkCount(field: string, value: unknown): number {
  // Stryker disable next-line ConditionalExpression: isSafeInteger is false for non-numbers too; typeof narrows the type
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(field, `must be a whole number >= 0, got ${describe(value)}`);
  }
  return value;
}

export function checkMilliseconds(
  field: string,
  value: unknown,
  { allowZero }: { allowZero: boolean },
): number {
  // Written as "in range" so that NaN, which fails every comparison, is out of it.
  const inRange = typeof value === 'number' && (allowZero ? value >= 0 : value > 0) && value <= MAX_TIMER_MS;
  if (!inRange) {
    const range = `${allowZero ? '>= 0' : '> 0'} and <= ${MAX_TIMER_MS}`;
    throw new ValidationError(field, `must be a number of milliseconds ${range}, got ${describe(value)}`);
  }
  return value;
}

export function checkHeaderText(field: string, value: unknown): string {
  if (
    typeof value !== 'string' ||
    !/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value) ||
    value.length > 256
  ) {
    throw new ValidationError(
      field,
      `must be 1-256 visible ASCII characters (a header value), got ${describe(value)}`,
    );
  }
  return value;
}

export function checkFunction<T>(field: string, value: T): T {
  if (typeof value !== 'function')
    throw new ValidationError(field, `must be a function, got ${describe(value)}`);
  return value;
}

export function checkSignal(value: unknown): AbortSignal {
  if (!(value instanceof AbortSignal)) {
    throw new ValidationError('signal', `must be an AbortSignal, got ${describe(value)}`);
  }
  return value;
}
