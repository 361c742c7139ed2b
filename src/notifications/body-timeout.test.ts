// Issue 15, item 15: a body that drips is cut off after bodyTimeoutMs with 408, and the socket is freed.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotificationHandler } from './handler.ts';
import { toNodeListener } from './node-listener.ts';

let server: Server | undefined;
afterEach(async () => {
  const running = server;
  server = undefined;
  running?.closeAllConnections();
  if (running !== undefined) await new Promise((resolve) => running.close(resolve));
});

const handler = (bodyTimeoutMs: number) =>
  createNotificationHandler({ name: 'shop', version: '1', on: {}, bodyTimeoutMs });

describe('bodyTimeoutMs', () => {
  it('the Fetch handler answers 408 when the body does not arrive in time', async () => {
    const never = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const request = new Request('http://localhost/notification', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: never,
      duplex: 'half',
    } as RequestInit);
    const answer = await handler(50)(request);
    expect(answer.status).toBe(408);
    expect(await answer.json()).toMatchObject({ error: { type: 'WRONG_EVENT_FORMAT' } });
  });

  it('refuses a bad value, naming it', () => {
    expect(() => handler(0)).toThrow(/bodyTimeoutMs must be an integer >= 1/);
  });

  it('toNodeListener: a dripping upload gets 408 and its connection is closed', async () => {
    server = createServer(toNodeListener(handler(200)));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const startedAt = Date.now();
    const outcome = await new Promise<{ status: number; closed: boolean }>((resolve, reject) => {
      const request = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/notification',
        headers: { 'content-type': 'application/json', 'content-length': '100' },
      });
      request.on('error', reject);
      request.write('{'); // and nothing more: the rest would drip
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => {
          request.socket?.once('close', () => resolve({ status: response.statusCode ?? 0, closed: true }));
          if (request.socket?.destroyed) resolve({ status: response.statusCode ?? 0, closed: true });
        });
      });
    });
    expect(outcome).toEqual({ status: 408, closed: true });
    // Generous under load; Node's own requestTimeout would be 300 s.
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });
});
