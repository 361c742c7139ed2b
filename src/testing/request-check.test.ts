// What the mock reads from a request and which breaks of openapi.yaml it names (checkRequest, called directly:
// the mock answers 401 when `unauthorized`, else 400 with these messages, and records them as violations).
import { describe, expect, it } from 'vitest';
import { checkRequest, MAX_FILE_BYTES } from './request-check.ts';

const JSON_TYPE = { 'content-type': 'application/json' };
const KEY = { 'api-key': 'token' };

function check(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Uint8Array } = {},
) {
  const { headers = { ...KEY, ...JSON_TYPE }, body = '' } = options;
  return checkRequest({
    method,
    url: new URL(path, 'http://mock.invalid'),
    headers: new Headers(headers),
    body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
  });
}

const createChat = (headers: Record<string, string>, body = '{"context":{"type":"ORDER","id":1}}') =>
  check('POST', '/v2/businesses/1/chats/new', { headers: { ...JSON_TYPE, ...headers }, body });

/** A multipart body with one part of `size` bytes named `field` (by hand: FormData takes ~0.2 s for 5 MB). */
function multipart(size: number, disposition = 'name="file"; filename="a.txt"', boundary = 'b0undary') {
  const head = `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\nContent-Type: text/plain\r\n\r\n`;
  return {
    headers: { ...KEY, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat([Buffer.from(head), Buffer.alloc(size), Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}
const sendFile = (size: number, disposition?: string) =>
  check('POST', '/v2/businesses/1/chats/file/send?chatId=7', multipart(size, disposition));

describe('the credential', () => {
  it.each([
    [{}, 'no credential: send an Api-Key header (or Authorization: Bearer <OAuth token>)'],
    [{ 'api-key': '' }, 'Api-Key header is empty'],
    [{ 'api-key': 'Bearer abc' }, 'Api-Key header must be the bare token, without a prefix'],
    [{ 'api-key': 'oauth abc' }, 'Api-Key header must be the bare token, without a prefix'],
    [{ authorization: 'Basic abc' }, 'Authorization header must be "Bearer <token>"'],
    [{ authorization: 'Bearer a b' }, 'Authorization header must be "Bearer <token>"'],
    [{ authorization: 'bearer abc' }, 'Authorization header must be "Bearer <token>"'],
    [{ authorization: 'Bearer abc', extra: 'x' }, undefined],
    [{ 'api-key': 'Bearerlike-token' }, undefined],
    [{ 'api-key': 'key oauth abc' }, undefined],
    [{ authorization: 'Token Bearer abc' }, 'Authorization header must be "Bearer <token>"'],
    // The Api-Key decides when both are sent.
    [{ 'api-key': 'abc', authorization: 'Basic abc' }, undefined],
    [
      { 'api-key': 'Bearer abc', authorization: 'Bearer abc' },
      'Api-Key header must be the bare token, without a prefix',
    ],
  ])('%j -> %s', async (headers, problem) => {
    const checked = await createChat(headers);
    expect(checked.unauthorized).toBe(problem !== undefined);
    expect(checked.violations).toEqual(problem === undefined ? [] : [problem]);
  });

  it('comes first among the violations of a request that also breaks others', async () => {
    const checked = await createChat({}, '{}');
    expect(checked.violations).toEqual([
      'no credential: send an Api-Key header (or Authorization: Bearer <OAuth token>)',
      'body: needs context (or the deprecated orderId)',
    ]);
  });
});

describe('path and query parameters', () => {
  it('are read into their schema types', async () => {
    const checked = await check('GET', '/v2/businesses/12/chats/message?chatId=7&messageId=3');
    expect(checked).toMatchObject({ params: { businessId: 12, chatId: 7, messageId: 3 }, violations: [] });
    expect(checked.operation?.operationId).toBe('getChatMessage');
    expect((await check('POST', '/v2/businesses/%31/chats?pageToken=%2541', { body: '{}' })).params).toEqual({
      businessId: 1,
      pageToken: '%41',
    });
    // A string parameter stays a string, digits or not.
    expect(await check('POST', '/v2/businesses/1/chats?pageToken=12', { body: '{}' })).toMatchObject({
      params: { pageToken: '12' },
      violations: [],
    });
  });

  it.each([
    ['/v2/businesses/abc/chat?chatId=1', 'path businessId: must be integer'],
    ['/v2/businesses/1a/chat?chatId=1', 'path businessId: must be integer'],
    ['/v2/businesses/a1/chat?chatId=1', 'path businessId: must be integer'],
    ['/v2/businesses/1.5/chat?chatId=1', 'path businessId: must be integer'],
    ['/v2/businesses/-3/chat?chatId=1', 'path businessId: must be >= 1'],
    ['/v2/businesses/1/chat?chatId=0', 'query chatId: must be >= 1'],
    ['/v2/businesses/1/chat', 'query chatId: is required'],
    ['/v2/businesses/1/chat?chatId=1&chatId=2', 'query chatId: given 2 times'],
  ])('%s -> %s', async (path, violation) => {
    const checked = await check('GET', path);
    expect(checked.violations).toEqual([violation]);
    expect(checked.unauthorized).toBe(false);
  });

  it('names every rule a value breaks', async () => {
    expect(
      (await check('POST', '/v2/businesses/1/chats?limit=99999999999', { body: '{}' })).violations,
    ).toEqual(['query limit: must be <= 20', 'query limit: must match format "int32"']);
  });

  it('reads a path parameter that is not valid percent-encoding as it is', async () => {
    expect(await check('GET', '/v2/businesses/%E0%A4%A/chat?chatId=1')).toMatchObject({
      params: { businessId: '%E0%A4%A' },
      violations: ['path businessId: must be integer'],
    });
  });

  it('checks the page limit against its range', async () => {
    const chats = (query: string) => check('POST', `/v2/businesses/1/chats?${query}`, { body: '{}' });
    expect((await chats('limit=20')).violations).toEqual([]);
    expect((await chats('limit=21')).violations).toEqual(['query limit: must be <= 20']);
    expect((await chats('limit=ten')).violations).toEqual(['query limit: must be integer']);
  });
});

describe('the JSON body', () => {
  it('is required where the spec says so', async () => {
    expect((await createChat(KEY, '')).violations).toEqual(['body: is required']);
  });

  it('must come with a JSON content type (charset and case do not matter)', async () => {
    expect(
      (await createChat({ ...KEY, 'content-type': 'Application/JSON ; charset=utf-8' })).violations,
    ).toEqual([]);
    const text = await createChat({ ...KEY, 'content-type': 'text/plain' }, 'hello');
    expect(text).toMatchObject({
      body: 'hello',
      violations: ['header Content-Type: text/plain is not one of application/json'],
    });
    const none = await check('POST', '/v2/businesses/1/chats/new', { headers: KEY, body: '{}' });
    expect(none.violations).toEqual(['header Content-Type: (none) is not one of application/json']);
  });

  it('must be JSON, within 512 KB, and valid against its schema', async () => {
    expect(await createChat(KEY, '{"context":')).toMatchObject({
      body: '{"context":',
      violations: ['body: is not valid JSON'],
    });
    const padded = (bytes: number) => {
      const start = '{"context":{"type":"ORDER","id":1},"note":"';
      return `${start}${'a'.repeat(bytes - start.length - 2)}"}`;
    };
    expect((await createChat(KEY, padded(512 * 1024))).violations).toEqual([]);
    expect((await createChat(KEY, padded(512 * 1024 + 1))).violations).toEqual([
      'body: larger than 524288 bytes',
    ]);
    expect((await createChat(KEY, '{"context":{"type":"ORDER","id":0}}')).violations).toEqual([
      'body: /context/id must be >= 1',
    ]);
  });

  it("keeps the rules the spec states in words: createChat's context, a message's 4096 UTF-16 units", async () => {
    expect((await createChat(KEY, '{}')).violations).toEqual([
      'body: needs context (or the deprecated orderId)',
    ]);
    expect((await createChat(KEY, '{"orderId":5}')).violations).toEqual([]);
    const longText = JSON.stringify('😀'.repeat(2049));
    expect((await createChat(KEY, `{"orderId":5,"message":${longText},"file":"x"}`)).violations).toEqual([]);
    const send = (message: string) =>
      check('POST', '/v2/businesses/1/chats/message?chatId=7', { body: JSON.stringify({ message }) });
    // 2048 emoji are 2048 characters for the schema, 4096 UTF-16 units for Yandex: allowed; one more is not.
    expect((await send('😀'.repeat(2048))).violations).toEqual([]);
    expect((await send('😀'.repeat(2049))).violations).toEqual([
      'body: message is 4098 UTF-16 units, more than 4096',
    ]);
  });

  it('is not read where the spec has none', async () => {
    const checked = await check('GET', '/v2/businesses/1/chat?chatId=1', { body: 'anything' });
    expect(checked).toMatchObject({ body: undefined, violations: [] });
  });
});

describe('the multipart body of sendFileToChat', () => {
  it('gives the file part as name, size and type, up to 5,000,000 bytes', async () => {
    expect(await sendFile(MAX_FILE_BYTES)).toMatchObject({
      body: { file: { name: 'a.txt', size: MAX_FILE_BYTES, type: 'text/plain' } },
      violations: [],
    });
    expect((await sendFile(MAX_FILE_BYTES + 1)).violations).toEqual([
      'body: File size exceeds the limit of 5 MB (5000000 bytes)',
    ]);
  });

  it('needs the file part and a readable body', async () => {
    expect((await sendFile(3, 'name="document"; filename="a.txt"')).violations).toEqual([
      "body: (root) must have required property 'file'",
    ]);
    // A part without a filename is a text field: Yandex would have no file to show.
    expect(await sendFile(3, 'name="file"')).toMatchObject({
      body: { file: '\0\0\0' },
      violations: ['body: file must be a file part (with a filename), not a text field'],
    });
    const { headers, body } = multipart(3);
    const wrongBoundary = { ...headers, 'content-type': 'multipart/form-data; boundary=other' };
    expect(
      (await check('POST', '/v2/businesses/1/chats/file/send?chatId=7', { headers: wrongBoundary, body }))
        .violations,
    ).toEqual(['body: is not a readable multipart/form-data body (check its boundary)']);
  });
});

describe('operations', () => {
  it('names a path no operation has and a method the path does not allow', async () => {
    expect(await check('GET', '/v2/businesses/1/unknown')).toEqual({
      operation: undefined,
      params: {},
      body: undefined,
      unauthorized: false,
      violations: ['no operation of the spec has the path /v2/businesses/1/unknown'],
    });
    expect((await check('DELETE', '/v2/businesses/1/chats/new', { headers: {} })).violations).toEqual([
      'method DELETE is not allowed on /v2/businesses/1/chats/new',
    ]);
  });
});
