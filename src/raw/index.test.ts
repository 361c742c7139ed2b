// The `./raw` subpath: openapi-fetch's typed client with the same credential, baseUrl and integration
// rules as createMarketClient, and no engine in between.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, ok } from '../../test-support/fake-api.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { createRawClient } from './index.ts';

const SECRET = 'y0_SECRET-api-key-123';
const CREATE = {
  params: { path: { businessId: 7 } },
  body: { context: { type: 'RETURN', id: 8 } },
} as const;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createRawClient', () => {
  it('sends with the Api-Key, to the production host by default, without following redirects', async () => {
    const api = fakeApi(ok(5));
    const raw = createRawClient({ apiKey: SECRET, fetch: api.fetch });
    const { data, response } = await raw.POST('/v2/businesses/{businessId}/chats/new', CREATE);
    expect(data?.result?.chatId).toBe(5);
    expect(response.status).toBe(200);
    const [request] = api.sent;
    expect(request?.url).toBe('https://api.partner.market.yandex.ru/v2/businesses/7/chats/new');
    expect(request?.headers.get('Api-Key')).toBe(SECRET);
    expect(request?.headers.get('Authorization')).toBeNull();
    expect(JSON.parse(request?.body ?? '')).toEqual({ context: { type: 'RETURN', id: 8 } });
  });

  it('sends an OAuth token as Bearer, the integration header, to the given baseUrl', async () => {
    const requests: Request[] = [];
    const fetch = async (request: Request) => {
      requests.push(request);
      return ok(1);
    };
    const raw = createRawClient({
      oauthToken: 'tok',
      integration: 'shop/1.0',
      baseUrl: 'http://127.0.0.1:4010/',
      fetch,
    });
    await raw.GET('/v2/businesses/{businessId}/chat', {
      params: { path: { businessId: 1 }, query: { chatId: 2 } },
    });
    const [request] = requests;
    expect(request?.url).toBe('http://127.0.0.1:4010/v2/businesses/1/chat?chatId=2');
    expect(request?.headers.get('Authorization')).toBe('Bearer tok');
    expect(request?.headers.get('Api-Key')).toBeNull();
    expect(request?.headers.get('X-Market-Integration')).toBe('shop/1.0');
    expect(request?.redirect).toBe('manual');
  });

  it('without a fetch option, uses the global fetch, looked up at call time', async () => {
    const raw = createRawClient({ apiKey: SECRET });
    const api = fakeApi(ok(3));
    vi.stubGlobal('fetch', api.fetch);
    const { data } = await raw.POST('/v2/businesses/{businessId}/chats/new', CREATE);
    expect(data?.result?.chatId).toBe(3);
    expect(api.sent).toHaveLength(1);
  });

  it.each([
    [null, 'options', /options must be an object with apiKey or oauthToken/],
    ['fast', 'options', /options must be an object with apiKey or oauthToken/],
    [5, 'options', /options must be an object with apiKey or oauthToken/],
    [{ apiKey: 'k', maxRetries: 1 }, 'maxRetries', /is not an option of createRawClient \(known: apiKey,/],
    [{ apiKey: 'k', oauthToken: 't' }, 'apiKey', /exclusive/],
    [{}, 'apiKey', /is required \(or oauthToken\)/],
    [{ apiKey: '' }, 'apiKey', /must not be empty/],
    [{ apiKey: 'k', baseUrl: 'http://example.test' }, 'baseUrl', /must use https/],
    [{ apiKey: 'k', allowInsecureHttp: 'yes' }, 'allowInsecureHttp', /must be true or false/],
    [{ apiKey: 'k', integration: 'a\nb' }, 'integration', /visible ASCII/],
    [{ apiKey: 'k', fetch: 'fetch' }, 'fetch', /must be a function/],
  ])('refuses %j, naming %s', (options, field, message) => {
    let error: unknown;
    try {
      createRawClient(options as never);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toMatch(message);
  });

  it('lets plain http reach a host that is not loopback only with allowInsecureHttp', async () => {
    const api = fakeApi(ok(1));
    const raw = createRawClient({
      apiKey: 'k',
      baseUrl: 'http://market-mock:8080',
      allowInsecureHttp: true,
      fetch: api.fetch,
    });
    await raw.POST('/v2/businesses/{businessId}/chats/new', CREATE);
    expect(api.sent[0]?.url).toBe('http://market-mock:8080/v2/businesses/7/chats/new');
  });
});
