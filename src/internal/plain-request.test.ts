// The engine hands fetch a URL and an init instead of a Request built by openapi-fetch: what is sent, and
// what onRequest shows, must stay what a Request would hold.
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, json, ok, rejectionOf } from '../../test-support/fake-api.ts';
import { createMarketClient, UnexpectedResponseError } from '../index.ts';
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

describe('with the global fetch, against a loopback server', () => {
  async function serve(
    reply: (request: IncomingMessage, body: string) => [number, Record<string, string>, string],
  ) {
    const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> =
      [];
    const server = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const [status, headers, text] = reply(request, body);
      response.writeHead(status, headers).end(text);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const close = () => {
      server.closeAllConnections();
      server.close();
    };
    return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close };
  }

  it('sends the method, path, headers and JSON body of the request', async () => {
    const { baseUrl, seen, close } = await serve(() => [
      200,
      { 'Content-Type': 'application/json' },
      '{"status":"OK","result":{"chatId":5}}',
    ]);
    try {
      const market = createMarketClient({ apiKey: 'key-1', baseUrl, integration: 'shop/1' });
      await expect(market.createChat({ businessId: 3, context: { type: 'RETURN', id: 4 } })).resolves.toEqual(
        {
          chatId: 5,
        },
      );
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ method: 'POST', url: '/v2/businesses/3/chats/new' });
      expect(seen[0]?.headers).toMatchObject({
        'api-key': 'key-1',
        'content-type': 'application/json',
        'x-market-integration': 'shop/1',
      });
      expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ context: { type: 'RETURN', id: 4 } });
    } finally {
      close();
    }
  });

  it('does not follow a redirect: one request, and the error names the status', async () => {
    const { baseUrl, seen, close } = await serve(() => [302, { Location: '/elsewhere' }, '']);
    try {
      const market = createMarketClient({ apiKey: 'key-1', baseUrl });
      const error = await rejectionOf(
        market.createChat({ businessId: 3, context: { type: 'ORDER', id: 4 } }),
      );
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect(error.message).toContain('HTTP 302 redirect (/elsewhere) not followed');
      expect(seen.map((request) => request.url)).toEqual(['/v2/businesses/3/chats/new']);
    } finally {
      close();
    }
  });
});
