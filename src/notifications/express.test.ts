// The documented Express 5 mounts against the real framework: toNodeListener with and without express.json().
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHAT_MESSAGE as MESSAGE } from '../../test-support/notifications.ts';
import { createNotificationHandler } from './handler.ts';
import { toNodeListener } from './node-listener.ts';

const callback = vi.fn();
let server: Server;
let base = '';

beforeAll(async () => {
  const listener = toNodeListener(
    createNotificationHandler({ name: 'shop', version: '1', on: { CHAT_MESSAGE_SENT: callback } }),
  );
  const app = express();
  app.post('/raw/notification', listener);
  app.post('/parsed/notification', express.json(), listener);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const post = (path: string, body: string) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe.each(['/raw', '/parsed'])('toNodeListener on Express 5 (%s)', (prefix) => {
  it('hands a valid event to its callback and answers 200; a field error gets our 400', async () => {
    callback.mockClear();
    const event = { ...MESSAGE, messageId: prefix === '/raw' ? '1' : '2' }; // two events, not a duplicate
    const ok = await post(`${prefix}/notification`, JSON.stringify(event));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ name: 'shop', version: '1' });
    expect(callback).toHaveBeenCalledWith(event, expect.anything());
    const wrong = await post(`${prefix}/notification`, JSON.stringify({ ...MESSAGE, chatId: 0 }));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { type: 'WRONG_EVENT_FORMAT' } });
  });
});
