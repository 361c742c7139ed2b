// The documented Fastify 5 mount against the real framework: toFastifyHandler behind Fastify's JSON parser.
import Fastify, { type FastifyServerOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHAT_MESSAGE as MESSAGE } from '../../test-support/notifications.ts';
import { createNotificationHandler } from './handler.ts';
import { toFastifyHandler } from './index.ts';

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

// Fastify's JSON parser (secure-json-parse) refuses `__proto__` and `constructor.prototype` keys by default
// (onProtoPoisoning / onConstructorPoisoning: 'error'). The README's advice, tried on the real framework.
describe('a body with a __proto__ or constructor.prototype key', () => {
  const POISONED = [
    `{"notificationType":"ORDER_CREATED","orderId":1,"__proto__":{"admin":true}}`,
    `{"notificationType":"ORDER_CREATED","orderId":1,"constructor":{"prototype":{"admin":true}}}`,
  ];

  async function mounted(options: FastifyServerOptions) {
    const onOther = vi.fn();
    const server = Fastify(options);
    server.post(
      '/notification',
      toFastifyHandler(createNotificationHandler({ name: 'shop', version: '1', on: {}, onOther })),
    );
    const at = `${await server.listen({ port: 0, host: '127.0.0.1' })}/notification`;
    const send = (body: string) =>
      fetch(at, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { server, send, onOther };
  }

  it("gets Fastify's own 400 by default, before the handler (Yandex would not resend it)", async () => {
    const { server, send, onOther } = await mounted({});
    try {
      for (const body of POISONED) {
        const answer = await send(body);
        expect(answer.status).toBe(400);
        expect(await answer.json()).toMatchObject({ code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
      }
      expect(onOther).not.toHaveBeenCalled();
    } finally {
      await server.close();
    }
  });

  it("with onProtoPoisoning and onConstructorPoisoning 'remove': the key is dropped, the event handled", async () => {
    const { server, send, onOther } = await mounted({
      onProtoPoisoning: 'remove',
      onConstructorPoisoning: 'remove',
    });
    try {
      for (const body of POISONED) {
        const answer = await send(body);
        expect(answer.status).toBe(200);
        expect(await answer.json()).toMatchObject({ name: 'shop', version: '1' });
      }
      expect(onOther).toHaveBeenCalledTimes(1); // the second is the same event once its key is dropped
      const [event] = onOther.mock.calls[0] ?? [];
      expect(Object.keys(event)).toEqual(['notificationType', 'orderId']);
      expect(({} as { admin?: boolean }).admin).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
