// Answers a real server (or a proxy in front of it) gives when something is off: a send's 2xx that cannot
// be read, an error body of another shape, a credential echoed back.
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json, type Reply, rejectionOf } from '../test-support/fake-api.ts';
import {
  BadRequestError,
  createMarketClient,
  DeliveryUnknownError,
  type MarketClientSettings,
  UnauthorizedError,
  UnexpectedResponseError,
} from './index.ts';

const SECRET = 'ACMA:k3y/with+odd=chars:0123456789';

function client(script: Reply[], options: MarketClientSettings = {}) {
  const api = fakeApi(...script);
  const market = createMarketClient({ apiKey: SECRET, fetch: api.fetch, ...options });
  return { market, sent: api.sent };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-25T12:00:00Z') });
  vi.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const SEND = { businessId: 1, chatId: 2, message: 'Hello' };
const FILE = { businessId: 1, chatId: 2, file: new Uint8Array([1, 2, 3]), fileName: 'a.txt' };

describe('a 2xx to a send that cannot be read', () => {
  it.each([
    ['an empty body', () => new Response('', { status: 200 }), 'HTTP 200 with an empty body; expected JSON'],
    [
      'an HTML body',
      () => new Response('<html>ok</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }),
      'HTTP 200 with a body that is not JSON (text/html): "<html>ok</html>"',
    ],
    [
      'status ERROR',
      () => json(200, { status: 'ERROR' }),
      'HTTP 200 body says status "ERROR", not OK: not done',
    ],
    ['a 204', () => new Response(null, { status: 204 }), 'HTTP 204 with an empty body; expected JSON'],
  ])(
    '%s is a DeliveryUnknownError whose cause is the UnexpectedResponseError, sent once',
    async (_, reply, problem) => {
      for (const send of [
        (m: ReturnType<typeof client>['market']) => m.sendMessageToChat(SEND),
        (m: ReturnType<typeof client>['market']) => m.sendFileToChat(FILE),
      ]) {
        const { market, sent } = client([reply, reply, reply], { maxRetries: 2 });
        const error = await rejectionOf(send(market));
        expect(error).toBeInstanceOf(DeliveryUnknownError);
        expect(error.cause).toBeInstanceOf(UnexpectedResponseError);
        expect((error.cause as Error).message).toContain(problem);
        expect(error).toMatchObject({ attempts: 1 });
        expect(sent).toHaveLength(1);
      }
    },
  );

  it('a read answered so stays an UnexpectedResponseError', async () => {
    const { market, sent } = client([new Response('', { status: 200 })]);
    const error = await rejectionOf(market.getChat({ businessId: 1, chatId: 2 }));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(sent).toHaveLength(1);
  });

  it('a 2xx body over maxResponseBytes is a DeliveryUnknownError too', async () => {
    const big = json(200, { status: 'OK', padding: 'x'.repeat(2000) });
    const { market, sent } = client([big], { maxResponseBytes: 1000 });
    const error = await rejectionOf(market.sendMessageToChat(SEND));
    expect(error).toBeInstanceOf(DeliveryUnknownError);
    expect(error.cause).toBeInstanceOf(UnexpectedResponseError);
    expect(sent).toHaveLength(1);
  });
});

describe('an error body of another JSON shape', () => {
  it('keeps a short snippet in the message and the parsed body as error.body', async () => {
    const body = { error: { code: 'BAD', message: 'chatId is wrong' } };
    const { market } = client([json(400, body)]);
    const error = await rejectionOf(market.getChat({ businessId: 1, chatId: 2 }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toBe(
      'getChat: HTTP 400 no error details in the body: {"error":{"code":"BAD","message":"chatId is wrong"}} (1 attempt)',
    );
    expect(error).toMatchObject({ body, errors: [], code: undefined });
  });

  it('cuts a long body short in the message, keeps all of it in error.body', async () => {
    const body = { detail: 'y'.repeat(500) };
    const { market } = client([json(409, body)]);
    const error = await rejectionOf(market.getChat({ businessId: 1, chatId: 2 }));
    expect(error.message).toBe(
      `getChat: HTTP 409 no error details in the body: ${JSON.stringify(body).slice(0, 120)}... (1 attempt)`,
    );
    expect(error).toMatchObject({ body });
  });

  it('a Yandex error body is kept as error.body too', async () => {
    const body = { status: 'ERROR', errors: [{ code: 'NOT_FOUND', message: 'no chat' }] };
    const { market } = client([json(404, body)]);
    expect(await rejectionOf(market.getChat({ businessId: 1, chatId: 2 }))).toMatchObject({ body });
  });
});

describe('a credential the server echoes', () => {
  const encoded = encodeURIComponent(SECRET);
  const lowerHex = encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());

  it('is replaced by [REDACTED] in the message, stack, JSON, inspect form and hooks', async () => {
    const events: unknown[] = [];
    const hooks = {
      onResponse: (e: unknown) => events.push(e),
      onAttemptError: (e: unknown) => events.push(e),
      onFailure: (e: unknown) => events.push(e),
    };
    const body = {
      status: 'ERROR',
      errors: [{ code: 'UNAUTHORIZED', message: `key ${SECRET} is not valid (${lowerHex})` }],
      echo: { key: SECRET },
    };
    const headers = { 'WWW-Authenticate': `Api-Key key="${SECRET}"`, 'X-Echo': `k=${encoded}` };
    const { market } = client([json(401, body, headers)], { hooks });
    const error = await rejectionOf(market.getChat({ businessId: 1, chatId: 2 }));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toBe(
      'getChat: HTTP 401 UNAUTHORIZED: key [REDACTED] is not valid ([REDACTED]) (1 attempt)',
    );
    expect((error as UnauthorizedError).headers.get('WWW-Authenticate')).toBe('Api-Key key="[REDACTED]"');
    expect(error).toMatchObject({ body: { echo: { key: '[REDACTED]' } } });
    const forms = [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10 })];
    forms.push(JSON.stringify(events), inspect(events, { depth: 10 }));
    for (const form of forms) {
      expect(form).not.toContain(SECRET);
      expect(form.toLowerCase()).not.toContain(encoded.toLowerCase());
      expect(form).not.toContain('0123456789'); // no part of it either
    }
    expect(JSON.stringify(events)).toContain('[REDACTED]');
  });

  it('is redacted before a body is cut short, in a non-JSON body and a 200 that cannot be read', async () => {
    const text = `<html>${'x'.repeat(100)} ${SECRET} ${'z'.repeat(100)}</html>`;
    const html = { status: 500, headers: { 'Content-Type': 'text/html' } };
    const { market } = client([new Response(text, html)], { maxRetries: 0 });
    const error = await rejectionOf(market.getChat({ businessId: 1, chatId: 2 }));
    expect(error.message).toContain('[REDACT');
    expect(error.message).not.toContain('ACMA');

    const echoed = client([json(200, { status: 'OK', result: { chatId: `${SECRET}` } })]);
    const unreadable = await rejectionOf(echoed.market.getChat({ businessId: 1, chatId: 2 }));
    expect(unreadable).toBeInstanceOf(UnexpectedResponseError);
    expect(unreadable.message).toContain('"[REDACTED]"');
    expect(unreadable.message).not.toContain('ACMA');
  });

  it('is redacted in drift reports, also as the OAuth token', async () => {
    const onDrift = vi.fn();
    const api = fakeApi(
      json(200, {
        status: 'OK',
        result: { messageId: 1, createdAt: SECRET, sender: 'CUSTOMER', payload: [{ url: SECRET }] },
      }),
    );
    const market = createMarketClient({ oauthToken: SECRET, fetch: api.fetch, hooks: { onDrift } });
    await market.getChatMessage({ businessId: 1, chatId: 2, messageId: 1 });
    const reported = JSON.stringify(onDrift.mock.calls);
    expect(reported).not.toContain('ACMA');
    expect(reported).toContain('[REDACTED]');
  });

  it('a credential shorter than 8 characters is left alone in responses', async () => {
    const api = fakeApi(json(400, { status: 'ERROR', errors: [{ code: 'BAD', message: 'short key' }] }));
    const market = createMarketClient({ apiKey: 'short', fetch: api.fetch });
    const error = await rejectionOf(market.getChat({ businessId: 1, chatId: 2 }));
    expect(error.message).toBe('getChat: HTTP 400 BAD: short key (1 attempt)');
  });
});
