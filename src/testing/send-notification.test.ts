// sendNotification and check-notifications against the library's own handler (passes) and against
// handlers that answer wrongly (fail, with the reason).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotificationHandler, toNodeListener } from '../notifications/index.ts';
import { checkNotifications, formatTable, notificationCases } from './check-notifications.ts';
import { sendNotification } from './send-notification.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(listener: RequestListener): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/notification`;
}

const libraryHandler = () =>
  toNodeListener(createNotificationHandler({ name: 'shop', version: '1.0.0', on: {} }));
/** Answers 200 to everything, with a body the spec does not allow. */
const wrongBody: RequestListener = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ ok: true }));
};
const event = {
  notificationType: 'CHAT_CREATED',
  chatId: 1,
  businessId: 2,
  createdAt: '2026-11-25T19:41:05Z',
};

describe('sendNotification', () => {
  it('posts the event and checks the answer: valid from the library handler', async () => {
    const url = await serve(libraryHandler());
    const answer = await sendNotification(url, event);
    expect(answer).toMatchObject({ status: 200, body: { name: 'shop', version: '1.0.0' }, violations: [] });
  });

  it('names what a wrong answer breaks', async () => {
    const url = await serve(wrongBody);
    const answer = await sendNotification(url, event);
    expect(answer.status).toBe(200);
    expect(answer.violations).toEqual([
      "body (root) must have required property 'version'",
      "body (root) must have required property 'name'",
      "body (root) must have required property 'time'",
    ]);
  });

  it('refuses to send an invalid event unless told, and a valid one marked invalid', async () => {
    const url = await serve(libraryHandler());
    await expect(sendNotification(url, { ...event, chatId: 'x' })).rejects.toThrow(
      /breaks notifications.yaml: \/chatId must be integer/,
    );
    await expect(sendNotification(url, event, { expectInvalid: true })).rejects.toThrow(
      /the notification is valid/,
    );
    const refused = await sendNotification(url, { ...event, chatId: 'x' }, { expectInvalid: true });
    expect(refused).toMatchObject({
      status: 400,
      body: { error: { type: 'WRONG_EVENT_FORMAT' } },
      violations: [],
    });
  });

  it("checks a 408 answer against the spec's 408 (a body that did not arrive in time)", async () => {
    const answer = (body: unknown) =>
      serve((_request, response) => {
        response.writeHead(408, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    const refused = { error: { type: 'WRONG_EVENT_FORMAT', message: 'body did not arrive within 5000 ms' } };
    expect(await sendNotification(await answer(refused), event)).toMatchObject({
      status: 408,
      violations: [],
    });
    server?.close();
    expect((await sendNotification(await answer({ late: true }), event)).violations).toEqual([
      "body (root) must have required property 'error'",
    ]);
  });

  it('reports a status the spec does not allow, and no answer in time', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(202);
      response.end();
    });
    expect((await sendNotification(url, event)).violations).toEqual([
      'status 202 is not one the spec allows (200, 400, 403, 405, 408, 413, 415, 500)',
    ]);
    const slow = await serve(() => undefined);
    expect((await sendNotification(slow, event, { timeoutMs: 50 })).violations).toEqual([
      'no answer within 50 ms (Yandex counts that as 500 and sends again)',
    ]);
  });
});

describe('sendNotification: what the answer breaks, and a receiver that fails', () => {
  const answering =
    (status: number, text: string, contentType?: string): typeof fetch =>
    async () =>
      new Response(text, {
        status,
        headers: contentType === undefined ? {} : { 'content-type': contentType },
      });
  const send = (answer: typeof fetch, notification: unknown = event) =>
    sendNotification('http://127.0.0.1:9/notification', notification, { fetch: answer });
  const valid = JSON.stringify({ name: 'shop', version: '1', time: '2026-11-25T19:41:05Z' });

  it('names a content type other than application/json, or none', async () => {
    expect(await send(answering(200, valid, 'application/json; charset=utf-8'))).toEqual({
      status: 200,
      body: JSON.parse(valid),
      violations: [],
    });
    expect((await send(answering(200, valid, 'Application/JSON'))).violations).toEqual([]);
    expect((await send(answering(200, valid, 'text/plain'))).violations).toEqual([
      'content type text/plain is not application/json',
    ]);
    expect((await send(answering(200, valid, 'application/json-seq'))).violations).toEqual([
      'content type application/json-seq is not application/json',
    ]);
    expect((await send(answering(200, valid, 'text/x-application/json'))).violations).toEqual([
      'content type text/x-application/json is not application/json',
    ]);
    const untyped = await send(async () => new Response(new Blob([valid]), { status: 200 }));
    expect(untyped.violations).toEqual(['content type (none) is not application/json']);
  });

  it('gives back a body that is not JSON as text, and names it (its first 100 characters)', async () => {
    expect(await send(answering(200, 'ok', 'application/json'))).toEqual({
      status: 200,
      body: 'ok',
      violations: ['body is not JSON: ok'],
    });
    const long = `<html>${'x'.repeat(200)}`;
    expect((await send(answering(500, long, 'application/json'))).violations).toEqual([
      `body is not JSON: ${long.slice(0, 100)}`,
    ]);
  });

  it('reports a receiver that cannot be reached, and which timeout it waited (1 s for PING, else 10 s)', async () => {
    const failing =
      (error: unknown): typeof fetch =>
      async () => {
        throw error;
      };
    const timeout = new DOMException('timed out', 'TimeoutError');
    expect((await send(failing(timeout))).violations).toEqual([
      'no answer within 10000 ms (Yandex counts that as 500 and sends again)',
    ]);
    const ping = { notificationType: 'PING', time: '2026-11-25T19:40:00.213Z' };
    expect(await send(failing(timeout), ping)).toEqual({
      status: 0,
      body: undefined,
      violations: ['no answer within 1000 ms (Yandex counts that as 500 and sends again)'],
    });
    expect((await send(failing(new TypeError('fetch failed')))).violations).toEqual([
      'TypeError: fetch failed (Yandex counts that as 500 and sends again)',
    ]);
    expect((await send(failing('refused'))).violations).toEqual([
      'refused (Yandex counts that as 500 and sends again)',
    ]);
  });

  it('names every problem of an invalid event, also of one without a type or no object at all', async () => {
    await expect(send(answering(200, valid), { ...event, chatId: 'x', businessId: 0 })).rejects.toThrow(
      'the notification breaks notifications.yaml: /chatId must be integer; /businessId must be >= 1',
    );
    await expect(send(answering(200, valid), { chatId: 1 })).rejects.toThrow(
      /breaks notifications.yaml: .*must have required property 'notificationType'/,
    );
    const bodies: unknown[] = [];
    const refusing: typeof fetch = async (_url, init) => {
      bodies.push(init?.body);
      return new Response('{"error":{"type":"WRONG_EVENT_FORMAT","message":"no"}}', {
        status: 400,
        headers: { 'content-type': 'application/json' },
      });
    };
    const answer = await sendNotification('http://127.0.0.1:9/notification', null, {
      fetch: refusing,
      expectInvalid: true,
    });
    expect(answer).toMatchObject({ status: 400, violations: [] });
    expect(bodies).toEqual(['null']);
  });
});

describe('check-notifications', () => {
  it('makes each example and, per type, a missing-field and wrong-type variant from the spec', () => {
    const names = notificationCases().map((c) => `${c.name} -> ${c.expected}`);
    expect(names).toContain("chatMessageSent: the spec's example -> 200");
    expect(names).toContain('chatMessageSent: no messageId -> 400');
    expect(names).toContain('chatMessageSent: messageId of a wrong type -> 400');
    expect(names).toContain("orderCreated: the spec's example -> 200");
    expect(names.filter((n) => n.endsWith('400')).length).toBeGreaterThanOrEqual(20);
  });

  it('passes against the library handler', async () => {
    const results = await checkNotifications(await serve(libraryHandler()));
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('fails every case against a handler that answers a wrong body, and says so in the table', async () => {
    const results = await checkNotifications(await serve(wrongBody));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(formatTable(results)).toMatch(/chatCreated: no chatId\s+400\s+200\s+FAIL: expected 400, got 200/);
  });
});

describe('check-notifications cases and table', () => {
  const cases = notificationCases();
  const named = (prefix: string) => cases.filter((c) => c.name.startsWith(prefix));
  const created = {
    notificationType: 'CHAT_CREATED',
    chatId: 987654321,
    businessId: 123456,
    createdAt: '2026-11-25T19:41:05.000+03:00',
  };

  it('per modelled type: the example, each required field but the type left out, each field of a wrong type', () => {
    const { chatId: _, ...noChatId } = created;
    expect(named('chatCreated:')).toEqual([
      { name: "chatCreated: the spec's example", event: created, expected: 200 },
      { name: 'chatCreated: no chatId', event: noChatId, expected: 400 },
      {
        name: 'chatCreated: no businessId',
        event: expect.not.objectContaining({ businessId: 123456 }),
        expected: 400,
      },
      {
        name: 'chatCreated: no createdAt',
        event: expect.not.objectContaining({ createdAt: created.createdAt }),
        expected: 400,
      },
      {
        name: 'chatCreated: chatId of a wrong type',
        event: { ...created, chatId: 'not-a-number' },
        expected: 400,
      },
      {
        name: 'chatCreated: businessId of a wrong type',
        event: { ...created, businessId: 'not-a-number' },
        expected: 400,
      },
      {
        name: 'chatCreated: createdAt of a wrong type',
        event: { ...created, createdAt: 12345 },
        expected: 400,
      },
    ]);
    expect(named('ping:').map((c) => [c.name, c.event])).toEqual([
      ["ping: the spec's example", { notificationType: 'PING', time: '2026-11-25T19:40:00.213Z' }],
      ['ping: time of a wrong type', { notificationType: 'PING', time: 12345 }],
    ]);
    // A type the spec does not model takes any fields: only its example.
    expect(named('orderCreated:').map((c) => c.expected)).toEqual([200]);
  });

  it('counts a status other than the expected one first, then what the answer broke', async () => {
    const bodies: unknown[] = [];
    const answer400: typeof fetch = async (_url, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      return new Response('{"error":"nope"}', {
        status: 400,
        headers: { 'content-type': 'application/json' },
      });
    };
    const results = await checkNotifications('http://127.0.0.1:9/notification', { fetch: answer400 });
    expect(bodies).toEqual(cases.map((c) => c.event));
    expect(results.find((r) => r.name === "ping: the spec's example")).toEqual({
      ...named('ping:')[0],
      status: 400,
      ok: false,
      problems: ['expected 200, got 400', 'body /error must be object'],
    });
    expect(results.find((r) => r.name === 'ping: time of a wrong type')?.problems[0]).not.toMatch(
      /^expected/,
    );
  });

  it('prints one aligned row per case, the reasons of a failure joined', () => {
    const table = formatTable([
      { name: 'a', event: {}, expected: 200, status: 200, ok: true, problems: [] },
      {
        name: 'longer name',
        event: {},
        expected: 400,
        status: 200,
        ok: false,
        problems: ['expected 400, got 200', 'x'],
      },
    ]);
    expect(table).toBe(
      [
        'case         expected  got  result',
        'a            200       200  ok',
        'longer name  400       200  FAIL: expected 400, got 200; x',
      ].join('\n'),
    );
  });
});
