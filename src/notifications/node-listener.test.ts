// toNodeListener on a real node:http server on loopback: the stream, an express.json()-style parsed body,
// an oversized upload, and the socket's address reaching the handler.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHAT_MESSAGE as MESSAGE } from '../../test-support/notifications.ts';
import { createNotificationHandler, type NotificationHandlerOptions } from './handler.ts';
import { type NodeRequestLike, toFetchRequest, toNodeListener } from './node-listener.ts';

let server: Server | undefined;

afterEach(async () => {
  const running = server;
  server = undefined;
  if (running !== undefined) await new Promise((resolve) => running.close(resolve));
});

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

async function serve(listener: Listener): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/notification`;
}

function handler(options: Partial<NotificationHandlerOptions> = {}) {
  return createNotificationHandler({ name: 'mug-shop-chats', version: '1.4.2', on: {}, ...options });
}

/** What express.json() does: reads the whole stream, then sets req.body to the parsed value. */
async function expressJson(request: IncomingMessage & { body?: unknown }): Promise<void> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  request.body = JSON.parse(text);
}

describe('toNodeListener', () => {
  it('streams the body to the handler and writes its answer, with the socket address', async () => {
    const callback = vi.fn();
    const url = await serve(toNodeListener(handler({ on: { CHAT_MESSAGE_SENT: callback } })));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(MESSAGE),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ name: 'mug-shop-chats', version: '1.4.2' });
    expect(callback).toHaveBeenCalledWith(
      MESSAGE,
      expect.objectContaining({ remoteAddress: expect.stringMatching(/127\.0\.0\.1$/) }),
    );
  });

  it('accepts a body express.json() already read', async () => {
    const callback = vi.fn();
    const listener = toNodeListener(handler({ on: { CHAT_MESSAGE_SENT: callback } }));
    const url = await serve((request, response) => {
      void expressJson(request).then(() => listener(request, response));
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(MESSAGE),
    });
    expect(response.status).toBe(200);
    expect(callback).toHaveBeenCalledWith(MESSAGE, expect.anything());
  });

  it('refuses an oversized upload with 413 without waiting for all of it', async () => {
    let received = 0;
    const listener = toNodeListener(handler({ maxBodyBytes: 1024 }));
    const url = await serve((request, response) => {
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      void listener(request, response);
    });
    const total = 8 * 1024 * 1024;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(32));
      },
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit).catch((error: unknown) => error);
    // Either the 413 arrives, or the connection closes before the client finished sending: never all 8 MB read.
    if (response instanceof Response) {
      expect(response.status).toBe(413);
      expect((await response.json()).error.type).toBe('WRONG_EVENT_FORMAT');
    }
    expect(received).toBeLessThan(total);
  });

  it('answers another method 405 with Allow: POST', async () => {
    const url = await serve(toNodeListener(handler()));
    const response = await fetch(url);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('toNodeListener when things go wrong', () => {
  const request = () => {
    const body = [Buffer.from(JSON.stringify(MESSAGE))];
    return Object.assign(body, {
      method: 'POST',
      url: '/notification',
      headers: { 'content-type': 'application/json' },
      [Symbol.asyncIterator]: () => body[Symbol.iterator](),
    });
  };

  it('answers 500 UNKNOWN in the spec shape if the handler itself rejects', async () => {
    const written: { status?: number; body?: string } = {};
    await toNodeListener(() => Promise.reject(new Error('secret detail')))(request() as never, {
      statusCode: 0,
      setHeader: () => undefined,
      end(chunk: string) {
        written.status = this.statusCode;
        written.body = chunk;
      },
    });
    expect(written).toEqual({ status: 500, body: '{"error":{"type":"UNKNOWN","message":"internal error"}}' });
  });

  it('resolves even when the response cannot be written', async () => {
    const broken = {
      statusCode: 0,
      setHeader: () => {
        throw new Error('socket closed');
      },
      end: () => undefined,
    };
    await expect(toNodeListener(handler())(request() as never, broken)).resolves.toBeUndefined();
  });
});

/** A node-style request over the given chunks, without a socket unless given. */
function nodeRequest(
  chunks: (string | Uint8Array)[],
  fields: Partial<NodeRequestLike> = {},
): NodeRequestLike {
  return {
    headers: {},
    async *[Symbol.asyncIterator]() {
      yield* chunks;
    },
    ...fields,
  };
}

/** A node-style response that records what was written. */
function nodeResponse() {
  const headers: Record<string, string> = {};
  const written = { status: 0, headers, body: undefined as string | undefined };
  const response = {
    statusCode: 0,
    setHeader(name: string, value: string) {
      headers[name] = value;
    },
    end(chunk: string) {
      written.status = this.statusCode;
      written.body = chunk;
    },
  };
  return { response, written };
}

describe('toFetchRequest', () => {
  it('streams string and byte chunks in order, with every header, repeated ones joined', async () => {
    const request = toFetchRequest(
      nodeRequest(['{"a":', new TextEncoder().encode('"é"}')], {
        method: 'post',
        url: '/notification?x=1',
        headers: { 'content-type': 'application/json', 'x-list': ['1', '2'], 'x-none': undefined },
      }),
    );
    expect(request.method).toBe('POST');
    expect(request.url).toBe('http://localhost/notification?x=1');
    expect(request.headers.get('x-list')).toBe('1, 2');
    expect(request.headers.has('x-none')).toBe(false);
    expect(await request.text()).toBe('{"a":"é"}');
  });

  it('a body a parser already read: re-serialized, without the original length or transfer encoding', async () => {
    const parsed = (body: unknown) =>
      toFetchRequest(
        nodeRequest([], {
          method: 'POST',
          readableEnded: true,
          body,
          headers: {
            'content-length': '999',
            'Transfer-Encoding': 'chunked',
            'x-content-length': 'kept',
            'content-length-note': 'kept',
          },
        }),
      );
    const request = parsed({ a: 1 });
    expect(request.headers.get('x-content-length')).toBe('kept');
    expect(request.headers.get('content-length-note')).toBe('kept');
    expect(request.headers.has('transfer-encoding')).toBe(false);
    expect(await request.text()).toBe('{"a":1}');
    expect(await parsed('{"raw": true}').text()).toBe('{"raw": true}');
    expect(await parsed(new TextEncoder().encode('{"b":2}')).text()).toBe('{"b":2}');
    expect(await parsed(undefined).text()).toBe('');
  });

  it('without method or url: GET / with no body; HEAD has none either', async () => {
    const get = toFetchRequest(nodeRequest(['ignored']));
    expect([get.method, get.url, get.body]).toEqual(['GET', 'http://localhost/', null]);
    expect(toFetchRequest(nodeRequest(['ignored'], { method: 'HEAD' })).body).toBeNull();
  });
});

describe('toNodeListener with node-style objects', () => {
  const listener = toNodeListener(handler());
  const ping = (fields: Partial<NodeRequestLike> = {}) =>
    nodeRequest([JSON.stringify({ notificationType: 'PING' })], {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      ...fields,
    });

  it('writes status, headers and body; no socket means no sender address', async () => {
    const seen: unknown[] = [];
    const withPing = toNodeListener(
      handler({ on: { PING: (_, { remoteAddress }) => void seen.push(remoteAddress) } }),
    );
    const { response, written } = nodeResponse();
    await withPing(ping(), response);
    expect(written.status).toBe(200);
    expect(written.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(written.body ?? '')).toMatchObject({ name: 'mug-shop-chats', version: '1.4.2' });
    expect(seen).toEqual([undefined]);
  });

  it('closes the connection only when the body was left unread', async () => {
    const unread = nodeResponse();
    await listener(ping({ readableEnded: false }), unread.response);
    expect(unread.written.headers.connection).toBe('close');
    const read = nodeResponse();
    await listener(ping({ readableEnded: undefined }), read.response);
    expect(read.written.headers.connection).toBeUndefined();
  });

  it('the last-resort 500 is JSON', async () => {
    const { response, written } = nodeResponse();
    await toNodeListener(() => Promise.reject(new Error('x')))(ping(), response);
    expect(written).toEqual({
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: '{"error":{"type":"UNKNOWN","message":"internal error"}}',
    });
  });
});
