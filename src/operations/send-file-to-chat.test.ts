// What Prism cannot check of sendFileToChat's multipart body (it reads the binary part as a string): the
// part's name, filename, media type and exact bytes, as the injected fetch receives them, on the first
// attempt and on one sent again after a 420; the request's Content-Type multipart with its boundary.
import { describe, expect, it } from 'vitest';
import { apiError, json, rejectionOf } from '../../test-support/fake-api.ts';
import {
  createMarketClient,
  DeliveryUnknownError,
  MAX_FILE_BYTES,
  type SendFileToChatInput,
  ValidationError,
} from '../index.ts';

interface Received {
  contentType: string | null;
  /** The raw body, decoded byte for byte. */
  raw: string;
  entries: [string, FormDataEntryValue][];
}

/** A client whose fetch answers with `replies` in turn and keeps what each request carried. */
function fileClient(...replies: (() => Response)[]) {
  const received: Received[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const raw = new TextDecoder('latin1').decode(await request.clone().arrayBuffer());
    const form = await request.formData();
    received.push({ contentType: request.headers.get('Content-Type'), raw, entries: [...form.entries()] });
    const reply = replies[Math.min(received.length, replies.length) - 1];
    if (reply === undefined) throw new Error('no reply scripted');
    return reply();
  };
  const market = createMarketClient({ apiKey: 'test-key', fetch, maxRetries: 1 });
  return { market, received };
}

const sent = () => json(200, { status: 'OK' });
/** A 420 while quota remains: the in-flight limit, after which the client sends the same request again. */
const inFlightLimit = () =>
  apiError(420, 'LIMIT_EXCEEDED', 'Hit rate limit of 4 parallel requests', {
    'X-RateLimit-Resource-Limit': '1000',
    'X-RateLimit-Resource-Remaining': '997',
  });

/** Every byte value, twice: not UTF-8, so any text round trip would change it. */
const BYTES = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
const input = (overrides: Partial<SendFileToChatInput> = {}): SendFileToChatInput => ({
  businessId: 1,
  chatId: 2,
  file: BYTES,
  fileName: 'invoice.pdf',
  ...overrides,
});

async function fileOf(request: Received | undefined): Promise<{ name: string; file: File }> {
  expect(request?.entries).toHaveLength(1);
  const [name, file] = request?.entries[0] ?? [];
  expect(file).toBeInstanceOf(File);
  return { name: name ?? '', file: file as File };
}

async function bytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

describe('sendFileToChat: the multipart body', () => {
  it('one part `file` with the filename, the given type and exactly the bytes; multipart with a boundary, never JSON', async () => {
    const { market, received } = fileClient(sent);
    await market.sendFileToChat(input({ contentType: 'application/pdf' }));
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.contentType).toMatch(/^multipart\/form-data; boundary=\S+$/);
    expect(request?.contentType).not.toMatch(/json/);
    const { name, file } = await fileOf(request);
    expect(name).toBe('file');
    expect(file.name).toBe('invoice.pdf');
    expect(file.type).toBe('application/pdf');
    expect(file.size).toBe(BYTES.byteLength);
    expect(await bytes(file)).toEqual(BYTES);
    expect(request?.raw).toMatch(/Content-Disposition: form-data; name="file"; filename="invoice.pdf"\r\n/);
    expect(request?.raw).toMatch(/Content-Type: application\/pdf\r\n/);
  });

  it("a Blob's own type is kept; contentType overrides it; with neither, application/octet-stream", async () => {
    const { market, received } = fileClient(sent);
    await market.sendFileToChat(input({ file: new Blob([BYTES], { type: 'image/png' }) }));
    await market.sendFileToChat(
      input({ file: new Blob([BYTES], { type: 'image/png' }), contentType: 'image/jpeg' }),
    );
    await market.sendFileToChat(input({ file: Buffer.from(BYTES) }));
    const files = await Promise.all(received.map(async (r) => (await fileOf(r)).file));
    expect(files.map((f) => f.type)).toEqual(['image/png', 'image/jpeg', 'application/octet-stream']);
    for (const file of files) expect(await bytes(file)).toEqual(BYTES);
  });

  it('a request sent again after a 420 carries the same bytes, even if the caller changed its array meanwhile', async () => {
    const { market, received } = fileClient(inFlightLimit, sent);
    const mine = BYTES.slice();
    const call = market.sendFileToChat(input({ file: mine, contentType: 'application/pdf' }));
    mine.fill(0); // the caller reuses its buffer while the call is still under way
    await call;
    expect(received).toHaveLength(2);
    const first = await fileOf(received[0]);
    const second = await fileOf(received[1]);
    expect(await bytes(first.file)).toEqual(BYTES);
    expect(await bytes(second.file)).toEqual(BYTES);
    expect([second.name, second.file.name, second.file.type]).toEqual([
      'file',
      'invoice.pdf',
      'application/pdf',
    ]);
    const withoutBoundary = (r: Received | undefined) => {
      const boundary = /boundary=(\S+)/.exec(r?.contentType ?? '')?.[1] ?? '';
      return r?.raw.replaceAll(boundary, '<boundary>');
    };
    expect(withoutBoundary(received[1])).toBe(withoutBoundary(received[0]));
  });

  it(`exactly ${MAX_FILE_BYTES} bytes (the spec's 5,000,000) are sent whole; one more is refused with nothing sent`, async () => {
    expect(MAX_FILE_BYTES).toBe(5_000_000);
    const { market, received } = fileClient(sent);
    const largest = new Uint8Array(5_000_000).fill(0xab);
    await market.sendFileToChat(input({ file: largest }));
    const { file } = await fileOf(received[0]);
    expect(file.size).toBe(5_000_000);
    const error = await rejectionOf(market.sendFileToChat(input({ file: new Uint8Array(5_000_001) })));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('file');
    expect(error.message).toContain('5000000 bytes');
    expect(received).toHaveLength(1);
  });

  // The part's type falls back to the Blob's own type, parameters included (`text/plain;charset=utf-8` is
  // what `new Blob([text], { type })` code often sets).
  it('a Blob typed text/plain;charset=utf-8 is sent with that type, not refused naming contentType', async () => {
    const { market, received } = fileClient(sent);
    await market.sendFileToChat(input({ file: new Blob([BYTES], { type: 'text/plain;charset=utf-8' }) }));
    const { file } = await fileOf(received[0]);
    expect(file.type).toMatch(/^text\/plain/);
  });
});

describe('sendFileToChat: what is refused before sending', () => {
  const refused = async (overrides: Partial<SendFileToChatInput> | Record<string, unknown>) => {
    const { market, received } = fileClient(sent);
    const error = await rejectionOf(market.sendFileToChat(input(overrides as Partial<SendFileToChatInput>)));
    expect(error).toBeInstanceOf(ValidationError);
    expect(received).toHaveLength(0);
    return error.message;
  };

  it('fileName: required, 1 to 255 characters, no control characters', async () => {
    expect(await refused({ fileName: undefined })).toBe('fileName is required: the name the customer sees');
    expect(await refused({ fileName: '' })).toBe(
      'fileName must be 1 to 255 characters without control characters, got ""',
    );
    expect(await refused({ fileName: 'x'.repeat(256) })).toMatch(/^fileName must be 1 to 255 characters/);
    expect(await refused({ fileName: 5 })).toMatch(/^fileName must be 1 to 255 characters.*got 5$/);
    expect(await refused({ fileName: 'a\u001fb.pdf' })).toMatch(/^fileName must/);
    expect(await refused({ fileName: 'ab.pdf\u007f' })).toMatch(/^fileName must/);
    expect(await refused({ fileName: '\u0000' })).toMatch(/^fileName must/);
    const { market, received } = fileClient(sent);
    await market.sendFileToChat(input({ fileName: 'x'.repeat(255) }));
    await market.sendFileToChat(input({ fileName: ' счёт № 5 .pdf' }));
    expect(await Promise.all(received.map(async (r) => (await fileOf(r)).file.name))).toEqual([
      'x'.repeat(255),
      ' счёт № 5 .pdf',
    ]);
  });

  it('file: a Blob or bytes, not empty', async () => {
    expect(await refused({ file: 'bytes' })).toBe(
      'file must be a Blob or a Uint8Array (a Node Buffer is one), got "bytes"',
    );
    expect(await refused({ file: new Uint8Array(0) })).toBe('file must not be empty');
    expect(await refused({ file: new Blob([]) })).toBe('file must not be empty');
  });

  it('contentType: a media type, parameters allowed', async () => {
    expect(await refused({ contentType: 'pdf' })).toBe(
      'contentType must be a media type such as application/pdf, got "pdf"',
    );
    expect(await refused({ contentType: 5 })).toMatch(/^contentType must be a media type/);
    expect(await refused({ contentType: 'x application/pdf' })).toMatch(/^contentType/);
    expect(await refused({ contentType: 'application/pdf x' })).toMatch(/^contentType/);
    expect(await refused({ contentType: 'text/plain; charset' })).toMatch(/^contentType/);
    const { market, received } = fileClient(sent);
    const accepted = [
      'text/plain; charset=utf-8',
      'text/plain ;charset=utf-8',
      'text/plain;a="quoted value";b=c',
      'application/vnd.ms-excel',
    ];
    for (const contentType of accepted) await market.sendFileToChat(input({ contentType }));
    expect(received).toHaveLength(accepted.length);
  });

  it('a Blob without a type is sent as application/octet-stream', async () => {
    const { market, received } = fileClient(sent);
    await market.sendFileToChat(input({ file: new Blob([BYTES]) }));
    expect((await fileOf(received[0])).file.type).toBe('application/octet-stream');
  });

  it('businessId and chatId are required and checked', async () => {
    expect(await refused({ chatId: undefined })).toBe('chatId is required');
    expect(await refused({ businessId: 0 })).toMatch(/^businessId must be >= 1/);
  });
});

describe('sendFileToChat: request and answer', () => {
  it('POST .../chats/file/send?chatId=', async () => {
    const urls: string[] = [];
    const market = createMarketClient({
      apiKey: 'k',
      baseUrl: 'https://api.example.test',
      fetch: async (request: Request) => {
        urls.push(`${request.method} ${request.url}`);
        return sent();
      },
    });
    await market.sendFileToChat(input({ businessId: 12, chatId: 7 }));
    expect(urls).toEqual(['POST https://api.example.test/v2/businesses/12/chats/file/send?chatId=7']);
  });

  it('a write: a 503 is not sent again; a 200 that is not OK names the operation', async () => {
    const { market, received } = fileClient(() => apiError(503, 'INTERNAL', 'x'), sent);
    expect(await rejectionOf(market.sendFileToChat(input()))).toBeInstanceOf(DeliveryUnknownError);
    expect(received).toHaveLength(1);
    const pending = fileClient(() => json(200, { status: 'ERROR' }));
    const error = await rejectionOf(pending.market.sendFileToChat(input()));
    expect(error.message).toMatch(/^sendFileToChat: /);
  });
});
