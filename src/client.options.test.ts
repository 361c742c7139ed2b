// The client's and each call's options, at their boundaries: which are refused (naming the option) and
// which are accepted, and the default fetch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json } from '../test-support/fake-api.ts';
import { createMarketClient, ValidationError } from './index.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

const chat = () => json(200, { status: 'OK', result: { chatId: 1 } });
const INPUT = { businessId: 1, context: { type: 'ORDER' as const, id: 2 } };

function refusal(make: () => unknown): { field: string; message: string } {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return { field: (error as ValidationError).field, message: (error as ValidationError).message };
  }
  throw new Error('not refused');
}

describe('createMarketClient options', () => {
  it.each([undefined, null, 'k'])('%j is refused naming options', (options) => {
    expect(refusal(() => createMarketClient(options as never))).toEqual({
      field: 'options',
      message: 'options must be an object with apiKey or oauthToken',
    });
  });

  it.each([
    [{ timeoutMs: 0 }, 'timeoutMs', 'timeoutMs must be a number of milliseconds > 0'],
    [{ deadlineMs: 0 }, 'deadlineMs', 'deadlineMs must be a number of milliseconds > 0'],
    [{ deadlineMs: 'soon' }, 'deadlineMs', 'deadlineMs must be'],
    [{ maxRetryDelayMs: -1 }, 'maxRetryDelayMs', 'maxRetryDelayMs must be a number of milliseconds >= 0'],
    [{ maxResponseBytes: -1 }, 'maxResponseBytes', 'maxResponseBytes must be'],
    [{ maxRateLimitResends: -1 }, 'maxRateLimitResends', 'maxRateLimitResends must be a whole number >= 0'],
    [{ hooks: 5 }, 'hooks', 'hooks must be an object'],
    [{ hooks: 'onRetry' }, 'hooks', 'hooks must be an object'],
    [{ hooks: { onRetryy: () => {} } }, 'onRetryy', 'onRetryy is not an option of hooks'],
  ])('%j is refused naming %s', (options, field, message) => {
    const error = refusal(() => createMarketClient({ apiKey: 'k', ...(options as object) }));
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });

  it('maxRetryDelayMs 0 (never wait for a retry) and maxResponseBytes 0 are allowed', () => {
    expect(() => createMarketClient({ apiKey: 'k', maxRetryDelayMs: 0, maxResponseBytes: 0 })).not.toThrow();
  });

  it('without a fetch option, the global fetch is used, looked up at call time', async () => {
    const api = fakeApi(chat());
    const market = createMarketClient({ apiKey: 'k' });
    // The engine calls the global fetch as fetch(url, init).
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
      api.fetch(new Request(input, init)),
    );
    expect(await market.createChat(INPUT)).toEqual({ chatId: 1 });
    expect(api.sent.map((request) => request.url)).toEqual([
      'https://api.partner.market.yandex.ru/v2/businesses/1/chats/new',
    ]);
  });
});

describe('allowInsecureHttp', () => {
  it('lets plain http reach a host that is not loopback (a mock in another container) only when set', async () => {
    const seen: string[] = [];
    const fetch = async (request: Request) => {
      seen.push(request.url);
      return new Response(JSON.stringify({ status: 'OK', result: { chatId: 3 } }), {
        headers: { 'content-type': 'application/json' },
      });
    };
    const options = { apiKey: 'k', baseUrl: 'http://market-mock:8080', fetch };
    expect(() => createMarketClient(options)).toThrow(/baseUrl must use https/);
    expect(() => createMarketClient({ ...options, allowInsecureHttp: false })).toThrow(
      /baseUrl must use https/,
    );
    const market = createMarketClient({ ...options, allowInsecureHttp: true });
    await market.createChat({ businessId: 1, context: { type: 'ORDER', id: 2 } });
    expect(seen).toEqual(['http://market-mock:8080/v2/businesses/1/chats/new']);
  });

  it('still refuses other schemes, and must be a boolean', () => {
    expect(() =>
      createMarketClient({ apiKey: 'k', baseUrl: 'ftp://market-mock', allowInsecureHttp: true }),
    ).toThrow(/got a ftp: URL/);
    expect(() => createMarketClient({ apiKey: 'k', allowInsecureHttp: 'yes' as unknown as boolean })).toThrow(
      /allowInsecureHttp must be true or false/,
    );
  });
});

describe('request options', () => {
  const api = fakeApi(chat());
  const market = createMarketClient({ apiKey: 'k', fetch: api.fetch });

  it.each([null, 'fast', 5])('%j is refused naming options', async (options) => {
    const error = await market.createChat(INPUT, options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      field: 'options',
      message: 'options must be an object (signal, maxRetries, maxRateLimitResends, timeoutMs, deadlineMs)',
    });
  });

  it.each([
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ deadlineMs: 0 }, 'deadlineMs'],
    [{ maxRetries: -1 }, 'maxRetries'],
    [{ maxRateLimitResends: 1.5 }, 'maxRateLimitResends'],
    [{ signal: 'abort' }, 'signal'],
    [{ retries: 1 }, 'retries'],
  ])('%j is refused naming %s, sending nothing', async (options, field) => {
    const error = await market.createChat(INPUT, options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    expect(api.sent).toHaveLength(0);
  });
});
