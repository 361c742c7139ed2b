// createSendRequest must build and read exactly what openapi-fetch's client.request does for the
// engine's calls: each case runs both against the same recorded fetch and compares.
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { PlainRequest } from './plain-request.ts';
import { createSendRequest, type SendInit } from './send-request.ts';

const BASE = 'https://api.example.test/';
const HEADERS = { 'Api-Key': 'key-123', 'X-Market-Integration': 'shop' };

interface Seen {
  url: string;
  method: string;
  headers: [string, string][];
  redirect: unknown;
  body: unknown;
}

async function seen(request: Request | PlainRequest): Promise<Seen> {
  const init = request instanceof PlainRequest ? request.init : undefined;
  const body = request instanceof PlainRequest ? init?.body : await request.clone().text();
  const redirect = request instanceof PlainRequest ? init?.redirect : request.redirect;
  const headers = [...request.headers.entries()].map(([k, v]): [string, string] =>
    // The multipart boundary is random: compare its form.
    [k, v.replace(/boundary=.*/, 'boundary=*')],
  );
  // The multipart boundary is random: compare the body with it blanked.
  const text = body?.toString().replace(/formdata-undici-\d+/g, 'formdata-*');
  return { url: request.url, method: request.method, headers, redirect, body: text };
}

/** Runs one request through openapi-fetch's client and through createSendRequest, with the same answer. */
async function both(
  method: string,
  path: string,
  init: Omit<SendInit, 'fetch'>,
  answer: () => Response,
): Promise<{ ours: unknown; theirs: unknown }> {
  const run = async (send: (m: string, p: string, i: object) => Promise<Record<string, unknown>>) => {
    const requests: Seen[] = [];
    const fetch = async (request: Request) => {
      requests.push(await seen(request as Request | PlainRequest));
      return answer();
    };
    const result = await send(method, path, { ...init, fetch, parseAs: 'text' });
    const { data, error, response } = result;
    // Which of data and error is there, even when undefined: the engine tells success by it.
    return { requests, keys: Object.keys(result).sort(), data, error, status: (response as Response).status };
  };
  const client = createClient({ baseUrl: BASE, headers: HEADERS, redirect: 'manual' });
  const theirs = await run(client.request.bind(client) as never);
  const ours = await run(createSendRequest(BASE, HEADERS) as never);
  return { ours, theirs };
}

const params = { path: { businessId: 7 }, query: { chatId: 12, pageToken: 'a b&c' } };

describe('createSendRequest, as openapi-fetch client.request', () => {
  it.each([
    ['a GET with path and query parameters, answered with JSON text', 'get', undefined, PlainRequest],
    ['a POST with a JSON body', 'post', { filter: { statuses: ['NEW'] }, n: 1 }, PlainRequest],
    ['a POST with an empty object body', 'post', {}, PlainRequest],
  ])('%s: the same request and result', async (_, method, body, Request) => {
    const { ours, theirs } = await both(
      method,
      '/v2/businesses/{businessId}/chats',
      { params, body, Request },
      () => new Response('{"status":"OK"}', { status: 200 }),
    );
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({ data: '{"status":"OK"}', status: 200 });
    expect((ours as { requests: Seen[] }).requests[0]?.url).toBe(
      'https://api.example.test/v2/businesses/7/chats?chatId=12&pageToken=a%20b%26c',
    );
  });

  it('leaves out missing query values and keeps a path template without its value, as openapi-fetch', async () => {
    const odd = {
      path: { businessId: 0, extra: 'not in the path' },
      query: { a: undefined, b: null, c: 0, d: 'ü/?#&=', e: true, f: '' },
    };
    const { ours, theirs } = await both(
      'get',
      '/v2/businesses/{businessId}/chats/{chatId}',
      { params: odd, Request: PlainRequest },
      () => new Response('{"status":"OK"}', { status: 200 }),
    );
    expect(ours).toEqual(theirs);
    expect((ours as { requests: Seen[] }).requests[0]?.url).toBe(
      'https://api.example.test/v2/businesses/0/chats/%7BchatId%7D?c=0&d=%C3%BC%2F%3F%23%26%3D&e=true&f=',
    );
  });

  it('sends no query string when there is no query value', async () => {
    const none = { path: { businessId: 'a b' }, query: { a: undefined } };
    const { ours, theirs } = await both(
      'get',
      '/v2/businesses/{businessId}/chat',
      { params: none, Request: PlainRequest },
      () => new Response('{}'),
    );
    expect(ours).toEqual(theirs);
    expect((ours as { requests: Seen[] }).requests[0]?.url).toBe(
      'https://api.example.test/v2/businesses/a%20b/chat',
    );
  });

  it('a multipart body: a real Request, its Content-Type left to the form', async () => {
    const form = new FormData();
    form.append('file', new Blob(['x'], { type: 'text/plain' }), 'a.txt');
    const { ours, theirs } = await both(
      'post',
      '/v2/businesses/{businessId}/chats/file/send',
      { params, body: form, Request },
      () => new Response('{"status":"OK"}', { status: 200 }),
    );
    expect(ours).toEqual(theirs);
    const [request] = (ours as { requests: Seen[] }).requests;
    expect(request?.headers).toContainEqual(['content-type', 'multipart/form-data; boundary=*']);
    expect(request?.redirect).toBe('manual');
  });

  it.each([
    ['a 204', () => new Response(null, { status: 204 })],
    [
      'a 200 with Content-Length 0',
      () => new Response('', { status: 200, headers: { 'Content-Length': '0' } }),
    ],
    [
      'a chunked 200 that says Content-Length 0',
      () =>
        new Response('{"status":"OK"}', {
          status: 200,
          headers: { 'Content-Length': '0', 'Transfer-Encoding': 'chunked' },
        }),
    ],
    [
      'a 200 with Content-Length 0, encoded but not chunked',
      () =>
        new Response('{"status":"OK"}', {
          status: 200,
          headers: { 'Content-Length': '0', 'Transfer-Encoding': 'gzip' },
        }),
    ],
    [
      'a 404 with Content-Length 0',
      () => new Response('', { status: 404, headers: { 'Content-Length': '0' } }),
    ],
    ['a 400 with a JSON error', () => new Response('{"errors":[{"code":"BAD"}]}', { status: 400 })],
    ['a 500 with an HTML error', () => new Response('<html>oops</html>', { status: 500 })],
    ['a 200 with HTML', () => new Response('<html>hi</html>', { status: 200 })],
  ])('%s: the same result', async (_, answer) => {
    const { ours, theirs } = await both(
      'get',
      '/v2/businesses/{businessId}/chat',
      { params, Request: PlainRequest },
      answer,
    );
    expect(ours).toEqual(theirs);
  });

  it('a HEAD: no body read, as openapi-fetch', async () => {
    const { ours, theirs } = await both(
      'head',
      '/x',
      { params: {}, Request: PlainRequest },
      () => new Response('x', { status: 200 }),
    );
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({ data: undefined, keys: ['data', 'response'] });
  });

  it('reads a JSON error body as its value and a text one as text', async () => {
    const json = await both(
      'get',
      '/x',
      { params: {}, Request: PlainRequest },
      () => new Response('{"a":1}', { status: 400 }),
    );
    expect(json.ours).toMatchObject({ error: { a: 1 }, status: 400 });
    const text = await both(
      'get',
      '/x',
      { params: {}, Request: PlainRequest },
      () => new Response('nope', { status: 503 }),
    );
    expect(text.ours).toMatchObject({ error: 'nope', status: 503 });
  });
});
