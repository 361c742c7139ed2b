// The engine hands fetch a URL and an init instead of a Request built by openapi-fetch: what is sent, and
// what onRequest shows, must stay what a Request would hold.
import { describe, expect, it, vi } from 'vitest';
import { createMarketClient } from '../index.ts';
import { fakeApi, json, ok } from '../test-support/fake-api.ts';
import { PlainRequest } from './plain-request.ts';

describe('PlainRequest', () => {
  it('normalizes the URL as Request does', () => {
    const init = { method: 'GET', headers: new Headers() };
    const url = 'http://LOCALHOST:9/v2/a b?x=1';
    expect(new PlainRequest(url, init).url).toBe(new Request(url, init).url);
    expect(new PlainRequest(url, init).url).toBe('http://localhost:9/v2/a%20b?x=1');
  });

  it('refuses an invalid URL as Request does, before anything is sent', () => {
    const init = { method: 'GET', headers: new Headers() };
    expect(() => new PlainRequest('not a url', init)).toThrow(TypeError);
  });
});

function client(baseUrl: string, reply: Response) {
  const api = fakeApi(reply);
  const onRequest = vi.fn();
  const market = createMarketClient({
    apiKey: 'secret-key',
    baseUrl,
    fetch: api.fetch,
    hooks: { onRequest },
  });
  return { market, sent: api.sent, onRequest };
}

describe('what onRequest shows is what is sent', () => {
  it('for a JSON body: the normalized URL and every header, the credential redacted', async () => {
    const { market, sent, onRequest } = client('http://LOCALHOST:9', ok(7));
    await market.createChat({ businessId: 1, context: { type: 'ORDER', id: 2 } });
    const event = onRequest.mock.calls[0]?.[0];
    expect(sent[0]?.url).toBe('http://localhost:9/v2/businesses/1/chats/new');
    expect(event.url).toBe(sent[0]?.url);
    expect(event.method).toBe('POST');
    expect(event.headers).toEqual({ ...Object.fromEntries(sent[0]?.headers ?? []), 'api-key': '[REDACTED]' });
    expect(event.headers['content-type']).toBe('application/json');
  });

  it('for a multipart body: the Content-Type with its boundary', async () => {
    const { market, sent, onRequest } = client('http://127.0.0.1:9', json(200, { status: 'OK' }));
    await market.sendFileToChat({
      businessId: 1,
      chatId: 2,
      file: new Uint8Array([1, 2, 3]),
      fileName: 'a.bin',
    });
    const sentType = sent[0]?.headers.get('content-type');
    expect(sentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(onRequest.mock.calls[0]?.[0].headers['content-type']).toBe(sentType);
  });
});
