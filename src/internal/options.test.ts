import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.ts';
import {
  checkBaseUrl,
  checkCount,
  checkHeaderText,
  checkKnownKeys,
  checkMilliseconds,
  checkSignal,
  checkToken,
} from './options.ts';

/** The message of the ValidationError that `check` throws (failing the test if it throws none). */
function refusal(check: () => unknown): string {
  try {
    check();
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

function baseUrlError(value: unknown): ValidationError {
  try {
    checkBaseUrl(value);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`expected ${String(value)} to be refused`);
}

describe('checkBaseUrl', () => {
  it.each([
    '//user:SECRET@api.example.com',
    'user:SECRET@api.example.com',
    'SECRET@api.example.com',
    'api.example.com?token=SECRET',
    'api.example.com/?oauth_token=SECRET',
    '/v1?key=SECRET',
    'api.example.com#SECRET',
    'y0_SECRET-api-key-passed-as-baseUrl',
    'https://SECRET@api.example.com',
    'https://user:SECRET@api.example.com',
    'https://:SECRET@api.example.com',
    'https://api.example.com/?token=SECRET',
    'https://api.example.com/#token=SECRET',
    'http://SECRET@evil-localhost',
    'ftp://user:SECRET@api.example.com',
    'http://api.example.com/SECRET/',
  ])('refuses %j without echoing the secret', (value) => {
    const error = baseUrlError(value);
    expect(error.field).toBe('baseUrl');
    expect(error.message).not.toContain('SECRET');
    expect(error.message).not.toContain(value);
  });

  it('says what is wrong without the value', () => {
    expect(baseUrlError('//user:pw@host').message).toBe(
      'baseUrl must be an absolute URL with its scheme, such as https://api.partner.market.yandex.ru ' +
        '(the value is not shown: it may hold credentials)',
    );
    expect(baseUrlError('https://KEY@host').message).toBe(
      'baseUrl must not contain credentials; pass apiKey or oauthToken instead',
    );
    expect(baseUrlError('https://host/?token=KEY').message).toBe('baseUrl must not have a query or fragment');
    expect(baseUrlError(42).message).toBe('baseUrl must be a string, got 42');
  });

  it.each([
    'http://evil-localhost',
    'http://localhost.evil.example',
    'http://127.0.0.1.evil.example',
    'http://127.0.0.1evil.example',
    'http://notlocalhost',
    'http://[::2]',
    'http://api.example.com',
  ])('refuses plain http to %s, which is not loopback', (value) => {
    const error = baseUrlError(value);
    expect(error.message).toBe(
      `baseUrl must use https (plain http only for loopback hosts such as 127.0.0.1), got ${new URL(value).protocol}//${new URL(value).host}`,
    );
  });

  it('names the scheme of a URL that is neither https nor http, loopback or not', () => {
    for (const value of ['ftp://api.example.com/x', 'ftp://127.0.0.1/x']) {
      expect(baseUrlError(value).message).toBe(
        'baseUrl must use https (plain http only for loopback hosts such as 127.0.0.1), got a ftp: URL',
      );
    }
  });

  it.each([
    ['http://localhost', 'http://localhost'],
    ['http://LOCALHOST:4010/', 'http://LOCALHOST:4010'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://127.255.0.9', 'http://127.255.0.9'],
    ['http://[::1]:4010', 'http://[::1]:4010'],
    ['https://api.partner.market.yandex.ru//', 'https://api.partner.market.yandex.ru'],
    ['https://proxy.example/market/', 'https://proxy.example/market'],
  ])('accepts %s as %s', (value, expected) => {
    expect(checkBaseUrl(value)).toBe(expected);
  });
});

describe('the other option checks', () => {
  it('checkKnownKeys names the unknown key and lists the known ones', () => {
    expect(refusal(() => checkKnownKeys({ a: 1, typo: 2 }, ['a', 'b'], 'f'))).toBe(
      'typo is not an option of f (known: a, b)',
    );
    expect(() => checkKnownKeys({ a: 1, b: 2 }, ['a', 'b'], 'f')).not.toThrow();
  });

  it('checkToken takes a bare token of visible ASCII only', () => {
    expect(checkToken('apiKey', 'y0_abc-DEF.123')).toBe('y0_abc-DEF.123');
    expect(refusal(() => checkToken('apiKey', 42))).toBe('apiKey must be a string, got number');
    expect(refusal(() => checkToken('apiKey', ''))).toBe('apiKey must not be empty');
    expect(refusal(() => checkToken('oauthToken', 'Bearer abc'))).toBe(
      'oauthToken must be the bare token, without a "Bearer " or "OAuth " prefix',
    );
    expect(refusal(() => checkToken('oauthToken', 'oauth\tabc'))).toContain('without a "Bearer "');
    // A space anywhere else is a broken token, not a prefix.
    for (const value of ['my oauth token', 'abc\n', 'ключ']) {
      expect(refusal(() => checkToken('apiKey', value))).toBe(
        'apiKey must be a token of visible ASCII characters, without spaces or line breaks',
      );
    }
  });

  it('checkCount takes whole numbers from 0', () => {
    expect([0, 3, Number.MAX_SAFE_INTEGER].map((n) => checkCount('maxRetries', n))).toEqual([
      0,
      3,
      Number.MAX_SAFE_INTEGER,
    ]);
    for (const value of [-1, 1.5, Number.NaN, 2 ** 53, '2', null]) {
      expect(refusal(() => checkCount('maxRetries', value))).toMatch(
        /^maxRetries must be a whole number >= 0, got /,
      );
    }
  });

  it('checkMilliseconds takes (0 or) a positive number up to the timer limit', () => {
    const MAX = 2_147_483_647;
    const strict = (value: unknown) => checkMilliseconds('timeoutMs', value, { allowZero: false });
    const zeroOk = (value: unknown) => checkMilliseconds('maxRetryDelayMs', value, { allowZero: true });
    expect([0.5, 1, MAX].map(strict)).toEqual([0.5, 1, MAX]);
    expect([0, 1, MAX].map(zeroOk)).toEqual([0, 1, MAX]);
    for (const value of [0, -1, MAX + 1, Number.NaN, Number.POSITIVE_INFINITY, '5', null]) {
      expect(refusal(() => strict(value))).toMatch(
        /^timeoutMs must be a number of milliseconds > 0 and <= 2147483647, got /,
      );
    }
    for (const value of [-1, -0.5, MAX + 1, Number.NaN, '0']) {
      expect(refusal(() => zeroOk(value))).toMatch(
        /^maxRetryDelayMs must be a number of milliseconds >= 0 and <= 2147483647, got /,
      );
    }
  });

  it('checkHeaderText takes 1-256 visible ASCII characters, inner spaces allowed', () => {
    for (const value of ['a', 'my-shop/1.2 (prod)', 'x'.repeat(256)]) {
      expect(checkHeaderText('integration', value)).toBe(value);
    }
    for (const value of ['', ' a', 'a ', 'a\nb', 'x'.repeat(257), 'ш', 42, null]) {
      expect(refusal(() => checkHeaderText('integration', value))).toMatch(
        /^integration must be 1-256 visible ASCII characters \(a header value\), got /,
      );
    }
  });

  it('checkSignal takes an AbortSignal only', () => {
    const { signal } = new AbortController();
    expect(checkSignal(signal)).toBe(signal);
    expect(refusal(() => checkSignal({ aborted: false }))).toBe(
      'signal must be an AbortSignal, got an object',
    );
  });
});
