// The client with Node's own fetch (no injected one) against a real server on loopback: the path that
// passes the attempt's signal in fetch's init must still time out, abort, and hang up the connection.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../test-support/fake-api.ts';
import {
  ConnectionError,
  createMarketClient,
  FetchError,
  TimeoutError,
  UnexpectedResponseError,
} from './index.ts';

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

const OK_BODY = '{"status":"OK","result":{"chatId":31}}';

describe('failures that are not the network, with the global fetch', () => {
  it('a port fetch refuses (bad port) is a FetchError naming baseUrl, not retried', async () => {
    const onAttemptError: unknown[] = [];
    // 6000 (X11) is on fetch's list of blocked ports: it refuses before connecting; nothing listens there.
    const market = createMarketClient({
      apiKey: 'k',
      baseUrl: 'http://127.0.0.1:6000',
      hooks: { onAttemptError: (event) => onAttemptError.push(event.willRetry) },
    });
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(FetchError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(
      'createChat: fetch refused http://127.0.0.1:6000: fetch failed (bad port); check baseUrl (1 attempt)',
    );
    expect(error).toMatchObject({ attempts: 1 });
    expect(onAttemptError).toEqual([false]);
  });

  it('a corrupt gzip body after a 200 is an UnexpectedResponseError, not retried', async () => {
    let requests = 0;
    const baseUrl = await serve((_, response) => {
      requests++;
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      response.end(Buffer.from('this is not gzip at all'));
    });
    const market = createMarketClient({ apiKey: 'k', baseUrl });
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toMatch(/^createChat: HTTP 200 body could not be decoded: .+/);
    expect(error).toMatchObject({ status: 200 });
    expect(requests).toBe(1);
  });

  it('a valid gzip body is read', async () => {
    const baseUrl = await serve((_, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      response.end(gzipSync(OK_BODY));
    });
    const market = createMarketClient({ apiKey: 'k', baseUrl });
    await expect(market.createChat(ORDER)).resolves.toEqual({ chatId: 31 });
  });
});

describe('transport failures, with the global fetch', () => {
  it('a socket closed mid-body is a ConnectionError, retried for createChat', async () => {
    let requests = 0;
    const baseUrl = await serve((_, response) => {
      requests++;
      if (requests === 1) {
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '200' });
        response.write('{"status":"OK","res', () => response.socket?.destroy());
        return;
      }
      response.setHeader('Content-Type', 'application/json');
      response.end(OK_BODY);
    });
    const market = createMarketClient({ apiKey: 'k', baseUrl });
    await expect(market.createChat(ORDER)).resolves.toEqual({ chatId: 31 });
    expect(requests).toBe(2);
  });

  it('says the connection broke while reading the body, when retries are used up', async () => {
    const baseUrl = await serve((_, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '200' });
      response.write('{"status":"OK","res', () => response.socket?.destroy());
    });
    const market = createMarketClient({ apiKey: 'k', baseUrl, maxRetries: 0 });
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(
      /^createChat: the connection broke while reading the HTTP 200 body from 127\.0\.0\.1:\d+: .+ \(1 attempt\)$/,
    );
  });

  it('a refused connection is a ConnectionError with the cause, retried', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');
    const market = createMarketClient({ apiKey: 'k', baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 });
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(
      `createChat: no response from 127.0.0.1:${port}: fetch failed (ECONNREFUSED) (2 attempts)`,
    );
    expect((error.cause as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });
});

describe('the body cap, with the global fetch', () => {
  it('refuses a Content-Length over maxResponseBytes without reading the body, and hangs up', async () => {
    let requests = 0;
    const hungUp: boolean[] = [];
    const baseUrl = await serve((request, response) => {
      requests++;
      request.socket.once('close', () => hungUp.push(true));
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100000' });
      response.write('{"status":"OK",'); // and never the rest: reading the body would hang
    });
    const market = createMarketClient({ apiKey: 'k', baseUrl, maxResponseBytes: 1_000, timeoutMs: 10_000 });
    const started = performance.now();
    const error = await rejectionOf(market.createChat(ORDER));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe(
      'createChat: HTTP 200 body the body is larger than maxResponseBytes (1000 bytes)',
    );
    expect(requests).toBe(1);
    await expect.poll(() => hungUp.length).toBe(1);
  });

  it('refuses a chunked body that grows past maxResponseBytes, not retried, and hangs up', async () => {
    let requests = 0;
    const hungUp: boolean[] = [];
    const baseUrl = await serve((request, response) => {
      requests++;
      request.socket.once('close', () => hungUp.push(true));
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = ' '.repeat(1_000);
      const timer = setInterval(() => response.write(chunk), 5);
      response.once('close', () => clearInterval(timer));
    });
    const market = createMarketClient({ apiKey: 'k', baseUrl, maxResponseBytes: 10_000 });
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe(
      'createChat: HTTP 200 body the body is larger than maxResponseBytes (10000 bytes)',
    );
    expect(requests).toBe(1);
    await expect.poll(() => hungUp.length).toBe(1);
  });

  it('refuses a gzip body that inflates past maxResponseBytes, though its compressed length is small', async () => {
    const inflating = gzipSync(' '.repeat(1_000_000));
    const baseUrl = await serve((_, response) => {
      response.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
        'Content-Length': String(inflating.byteLength),
      });
      response.end(inflating);
    });
    expect(inflating.byteLength).toBeLessThan(10_000);
    const market = createMarketClient({ apiKey: 'k', baseUrl, maxResponseBytes: 10_000 });
    const error = await rejectionOf(market.createChat(ORDER));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe(
      'createChat: HTTP 200 body the body is larger than maxResponseBytes (10000 bytes)',
    );
  });

  it('reads a gzip + chunked body without Content-Length within maxResponseBytes', async () => {
    const baseUrl = await serve((_, response) => {
      response.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
        'Transfer-Encoding': 'chunked',
      });
      response.end(gzipSync(OK_BODY));
    });
    const market = createMarketClient({ apiKey: 'k', baseUrl, maxResponseBytes: OK_BODY.length });
    await expect(market.createChat(ORDER)).resolves.toEqual({ chatId: 31 });
  });

  it('reads a chunked body within maxResponseBytes', async () => {
    const baseUrl = await serve((_, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write(' '.repeat(500));
      setTimeout(() => response.end(OK_BODY), 5);
    });
    const market = createMarketClient({ apiKey: 'k', baseUrl, maxResponseBytes: 500 + OK_BODY.length });
    await expect(market.createChat(ORDER)).resolves.toEqual({ chatId: 31 });
  });
});
