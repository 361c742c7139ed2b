// The documented Fastify 5 mount against the real framework: toFastifyHandler behind Fastify's JSON parser.
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNotificationHandler } from './handler.ts';
import { toFastifyHandler } from './index.ts';

const MESSAGE = {
  notificationType: 'CHAT_MESSAGE_SENT',
  chatId: 987654321,
  messageId: '5123456001',
  businessId: 123456,
  sentAt: '2026-11-25T19:42:17.512Z',
};

const callback = vi.fn();
const app = Fastify();
let url = '';

beforeAll(async () => {
  const handler = createNotificationHandler({
    name: 'shop',
    version: '1',
    on: { CHAT_MESSAGE_SENT: callback },
  });
  app.post('/notification', toFastifyHandler(handler));
  url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/notification`;
});
afterAll(() => app.close());

const post = (body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('toFastifyHandler on Fastify 5', () => {
  it('hands a valid event to its callback and answers 200 with the spec shape', async () => {
    const response = await post(JSON.stringify(MESSAGE));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'shop', version: '1' });
    expect(callback).toHaveBeenCalledWith(
      MESSAGE,
      expect.objectContaining({ remoteAddress: expect.stringMatching(/127\.0\.0\.1$/) }),
    );
  });

  it('answers a field error with our 400, a body that is not JSON with Fastify own 400', async () => {
    const wrong = await post(JSON.stringify({ ...MESSAGE, chatId: 0 }));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { type: 'WRONG_EVENT_FORMAT' } });
    const broken = await post('{');
    expect(broken.status).toBe(400);
  });
});
