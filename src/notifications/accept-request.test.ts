// What the handler refuses before any callback runs, with the exact status, error type and message, and
// what it tells onRefused; the boundaries of the content type and the body size.
import { describe, expect, it, vi } from 'vitest';
import { createNotificationHandler, type NotificationHandlerOptions } from './handler.ts';

const PING = JSON.stringify({ notificationType: 'PING' });

function handlerWith(options: Partial<NotificationHandlerOptions> = {}) {
  const onRefused = vi.fn();
  const handler = createNotificationHandler({
    name: 'shop',
    version: '1',
    on: {},
    hooks: { onRefused },
    ...options,
  });
  return { handler, onRefused };
}

function request(body: BodyInit | null, headers: Record<string, string>, method = 'POST') {
  return new Request('http://localhost/notification', { method, headers, body });
}

const answerOf = async (response: Response) => ({
  status: response.status,
  contentType: response.headers.get('content-type'),
  body: await response.json(),
});

describe('refusals', () => {
  it('another method: 405 naming it, Allow: POST, reported to onRefused with the sender', async () => {
    const { handler, onRefused } = handlerWith();
    const response = await handler(request(null, {}, 'PUT'), { remoteAddress: '10.0.0.1' });
    expect(response.headers.get('allow')).toBe('POST');
    expect(await answerOf(response)).toEqual({
      status: 405,
      contentType: 'application/json',
      body: {
        error: {
          type: 'WRONG_EVENT_FORMAT',
          message: 'method PUT is not allowed: notifications come as POST',
        },
      },
    });
    expect(onRefused).toHaveBeenCalledWith({
      status: 405,
      type: 'WRONG_EVENT_FORMAT',
      message: 'method PUT is not allowed: notifications come as POST',
      remoteAddress: '10.0.0.1',
    });
  });

  it('no content type: 415 saying (none); the answer has no Allow header', async () => {
    const { handler } = handlerWith();
    const response = await handler(request(new Uint8Array(new TextEncoder().encode(PING)), {}));
    expect(response.headers.get('allow')).toBeNull();
    expect(await answerOf(response)).toEqual({
      status: 415,
      contentType: 'application/json',
      body: {
        error: {
          type: 'WRONG_EVENT_FORMAT',
          message: 'content type (none) is not allowed: send application/json',
        },
      },
    });
  });

  it.each([
    ['application/json', 200],
    ['APPLICATION/JSON', 200],
    ['application/json;charset=utf-8', 200],
    ['application/json ; charset=utf-8', 200],
    ['application/jsonp', 415],
    ['text/application/json', 415],
    ['application/json-patch+json', 415],
  ])('content type %s: %i', async (contentType, status) => {
    const { handler } = handlerWith();
    expect((await handler(request(PING, { 'content-type': contentType }))).status).toBe(status);
  });

  it('a body that is not UTF-8: 400 saying so', async () => {
    const { handler } = handlerWith();
    const response = await handler(
      request(new Uint8Array([0x7b, 0xff, 0x7d]), { 'content-type': 'application/json' }),
    );
    expect(await answerOf(response)).toEqual({
      status: 400,
      contentType: 'application/json',
      body: { error: { type: 'WRONG_EVENT_FORMAT', message: 'body is not valid UTF-8' } },
    });
  });

  it('a body of exactly maxBodyBytes is read; one byte more is 413, declared or not', async () => {
    const { handler } = handlerWith({ maxBodyBytes: PING.length });
    expect((await handler(request(PING, { 'content-type': 'application/json' }))).status).toBe(200);
    const declared = { 'content-type': 'application/json', 'content-length': String(PING.length) };
    expect((await handler(request(PING, declared))).status).toBe(200);
    const { handler: small } = handlerWith({ maxBodyBytes: PING.length - 1 });
    expect((await small(request(PING, { 'content-type': 'application/json' }))).status).toBe(413);
    // A stream with no declared length, over the limit only in its second chunk.
    expect((await small(streamedRequest([PING.slice(0, 5), PING.slice(5)]))).status).toBe(413);
  });

  it('a body split in chunks is joined in order', async () => {
    const onOther = vi.fn();
    const { handler } = handlerWith({ onOther });
    const text = JSON.stringify({ notificationType: 'ORDER_CREATED', orderId: 123456789 });
    const streamed = streamedRequest([text.slice(0, 10), text.slice(10, 20), text.slice(20)]);
    expect((await handler(streamed)).status).toBe(200);
    expect(onOther.mock.calls[0]?.[0]).toEqual({ notificationType: 'ORDER_CREATED', orderId: 123456789 });
  });

  it('an empty body is not JSON: 400', async () => {
    const { handler } = handlerWith();
    const response = await handler(request('', { 'content-type': 'application/json' }));
    expect((await answerOf(response)).body.error.message).toBe('body is not valid JSON');
  });

  it('a sender outside the networks: 403 UNKNOWN, before the method is even looked at', async () => {
    const { handler, onRefused } = handlerWith({ senderCheck: { networks: ['10.0.0.0/8'] } });
    const response = await handler(request(null, {}, 'GET'), { remoteAddress: '192.0.2.1' });
    expect(response.status).toBe(403);
    expect(onRefused).toHaveBeenCalledWith({
      status: 403,
      type: 'UNKNOWN',
      message: 'sender 192.0.2.1 is not in the allowed networks',
      remoteAddress: '192.0.2.1',
    });
  });

  it('an allowed sender behind a trusted proxy reaches the callback with the proxy header’s address', async () => {
    const seen: unknown[] = [];
    const { handler } = handlerWith({
      senderCheck: { networks: ['5.45.207.0/25'], trustedProxy: { header: 'x-forwarded-for', hops: 1 } },
      on: { PING: (_, { remoteAddress }) => void seen.push(remoteAddress) },
    });
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9, 5.45.207.10' };
    expect((await handler(request(PING, headers), { remoteAddress: '127.0.0.1' })).status).toBe(200);
    expect(seen).toEqual(['5.45.207.10']);
  });
});

/** A JSON POST whose body arrives as these chunks, with no declared length. */
function streamedRequest(texts: string[]): Request {
  const chunks = texts.map((text) => new TextEncoder().encode(text));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
  return new Request('http://localhost/notification', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: stream,
    duplex: 'half',
  } as RequestInit);
}
