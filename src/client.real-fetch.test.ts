// The client with Node's own fetch (no injected one) against a real server on loopback: the path that
// passes the attempt's signal in fetch's init must still time out, abort, and hang up the connection.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMarketClient, TimeoutError } from './index.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Array<{ close(): void; closeAllConnections(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ORDER = { businessId: 1, context: { type: 'ORDER', id: 2 } } as const;

describe('with the global fetch', () => {
  it('creates a chat and sends the credential', async () => {
    let apiKey: string | undefined;
    const baseUrl = await serve((request, response) => {
      apiKey = request.headers['api-key'] as string;
      response.setHeader('Content-Type', 'application/json');
      response.end('{"status":"OK","result":{"chatId":31}}');
    });
    const market = createMarketClient({ apiKey: 'key-1', baseUrl });
    await expect(market.createChat(ORDER)).resolves.toEqual({ chatId: 31 });
    expect(apiKey).toBe('key-1');
  });

  it('times out a silent server, hangs up each attempt, and retries', async () => {
    const hungUp: boolean[] = [];
    const baseUrl = await serve((request) => {
      request.socket.once('close', () => hungUp.push(true));
    });
    const market = createMarketClient({ apiKey: 'k', baseUrl, timeoutMs: 150, maxRetries: 1 });
    const started = performance.now();
    const error = await market.createChat(ORDER).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ attempts: 2, timeoutMs: 150 });
    // two timeouts and one backoff of at most 500 ms; generous upper bound for a loaded machine
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(5_000);
    await expect.poll(() => hungUp.length).toBe(2);
  });

  it('rejects with the reason of a user abort while the server is silent', async () => {
    const baseUrl = await serve(() => {});
    const market = createMarketClient({ apiKey: 'k', baseUrl });
    const reason = new Error('caller gave up');
    const error = await market
      .createChat(ORDER, { signal: AbortSignal.timeout(50) })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError'); // AbortSignal.timeout's own DOMException
    expect(error).not.toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    await expect(market.createChat(ORDER, { signal: controller.signal })).rejects.toBe(reason);
  });
});
