// The documented Hono 4 mount (on @hono/node-server) against the real framework: the Fetch handler itself.
import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHAT_MESSAGE as MESSAGE } from '../../test-support/notifications.ts';
import { createNotificationHandler } from './handler.ts';

const callback = vi.fn();
let server: ServerType;
let url = '';

beforeAll(async () => {
  const handler = createNotificationHandler({
    name: 'shop',
    version: '1',
    on: { CHAT_MESSAGE_SENT: callback },
  });
  const app = new Hono();
  app.post('/notification', (c) => handler(c.req.raw, { remoteAddress: getConnInfo(c).remote.address }));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      url = `http://127.0.0.1:${info.port}/notification`;
      resolve();
    });
  });
});
// serve() swaps in its own global Request and Response (the default users get): put Node's back, for the
// test files that run after this one in the same worker (isolate: false).
const { Request: nodeRequest, Response: nodeResponse } = globalThis;
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  globalThis.Request = nodeRequest;
  globalThis.Response = nodeResponse;
});

describe('the Fetch handler on Hono 4', () => {
  it('hands a valid event, with the sender address, to its callback; a field error gets our 400', async () => {
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post(MESSAGE);
    expect(ok.status).toBe(200);
    expect(callback).toHaveBeenCalledWith(
      MESSAGE,
      expect.objectContaining({ remoteAddress: expect.stringMatching(/127\.0\.0\.1$/) }),
    );
    const wrong = await post({ ...MESSAGE, chatId: 0 });
    expect(wrong.status).toBe(400);
  });
});
