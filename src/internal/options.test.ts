import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.ts';
import { checkBaseUrl } from './options.ts';

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

  it('names the scheme of a URL that is neither https nor http', () => {
    expect(baseUrlError('ftp://api.example.com/x').message).toBe(
      'baseUrl must use https (plain http only for loopback hosts such as 127.0.0.1), got a ftp: URL',
    );
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
