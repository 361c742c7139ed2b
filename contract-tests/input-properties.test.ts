// Property-based input tests (fast-check) for every operation, bounded to keep the suite quick:
// - arbitrary valid inputs are sent as the spec says (method, path, query, body) and Prism accepts them
//   with no violations;
// - arbitrary invalid inputs (one field wrong) are refused with a ValidationError naming that field, and
//   nothing is sent. These need no network and run in live mode too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MarketClient, ValidationError } from '../src/index.ts';
import { rejectionOf } from '../test-support/fake-api.ts';
import { INVALID, type InvalidInput, MISSPELT, VALID } from './arbitraries.ts';
import { clientFor, type Exchange, isLive, MOCK_ONLY, type Recorder, spec, useRecorder } from './harness.ts';
import { BUSINESS_ID, CHAT_ID, callOperation } from './operations.ts';
import { specOperations } from './spec.ts';

const recorder = useRecorder();
const RUNS = Number(process.env.CONTRACT_PROPERTY_RUNS ?? 25);
const operations = specOperations(spec);

type Input = Record<string, unknown>;

/** What each operation must send for an input: its query parameters and its JSON body (or a file). */
const EXPECTED_REQUEST: Readonly<Record<string, (input: Input) => { query: Input; body?: unknown }>> = {
  createChat: ({ context }) => ({ query: {}, body: { context } }),
  getChats: ({ filter, limit, pageToken }) => ({ query: { limit, pageToken }, body: filter ?? {} }),
  getChat: ({ chatId }) => ({ query: { chatId } }),
  getChatHistory: ({ chatId, limit, pageToken, messageIdFrom }) => ({
    query: { chatId, limit, pageToken },
    body: messageIdFrom === undefined ? {} : { messageIdFrom },
  }),
  getChatMessage: ({ chatId, messageId }) => ({ query: { chatId, messageId } }),
  sendMessageToChat: ({ chatId, message }) => ({ query: { chatId }, body: { message } }),
  sendFileToChat: ({ chatId }) => ({ query: { chatId } }),
};

function queryOf(exchange: Exchange | undefined): Input {
  return Object.fromEntries(new URL(exchange?.url ?? 'http://x').searchParams);
}

function asQuery(values: Input): Input {
  return Object.fromEntries(
    Object.entries(values).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
  );
}

/** The file's bytes, whatever form the caller gave them in. */
async function bytesOf(file: unknown): Promise<Uint8Array> {
  return file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : (file as Uint8Array);
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).includes(Buffer.from(needle));
}

describe.skipIf(isLive)(`arbitrary valid inputs of every operation, against the mock${MOCK_ONLY}`, () => {
  for (const { operationId, method, path } of operations) {
    it(`${operationId}: sent as the spec says and accepted by Prism with no violations (${RUNS} runs)`, async () => {
      const valid = VALID[operationId];
      const expected = EXPECTED_REQUEST[operationId];
      if (valid === undefined || expected === undefined) {
        throw new Error(`contract-tests: no valid-input arbitrary or expected request for ${operationId}`);
      }
      await fc.assert(
        fc.asyncProperty(valid, async (input) => {
          const since = recorder.exchanges.length;
          const market = clientFor(recorder, { client: { maxRetries: 0 } });
          await callOperation(market, operationId, input);
          expect(recorder.violationReport(since)).toBeUndefined();
          const sent = recorder.exchanges.slice(since);
          expect(sent.map((e) => e.status)).toEqual([200]);
          const [exchange] = sent;
          const request = expected(input);
          expect(exchange?.method).toBe(method.toUpperCase());
          expect(exchange?.path).toBe(path.replace('{businessId}', String(input.businessId)));
          expect(queryOf(exchange)).toEqual(asQuery(request.query));
          if (operationId === 'sendFileToChat') {
            expect(exchange?.requestHeaders['content-type']).toMatch(/^multipart\/form-data; boundary=\S+$/);
            expect(exchange?.requestBody).toMatch(/Content-Disposition: form-data; name="file"; filename=/);
            expect(contains(exchange?.requestBytes ?? new Uint8Array(), await bytesOf(input.file))).toBe(
              true,
            );
          } else if (request.body === undefined) {
            expect(exchange?.requestBody).toBe('');
          } else {
            expect(exchange?.requestHeaders['content-type']).toMatch(/^application\/json/);
            expect(JSON.parse(exchange?.requestBody ?? 'null')).toEqual(request.body);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('sendMessageToChat: 2048 emoji (4096 UTF-16 code units, the limit) are sent and accepted', async () => {
    const message = '😀'.repeat(2048);
    expect(message.length).toBe(4096);
    const market = clientFor(recorder);
    await market.sendMessageToChat({ businessId: BUSINESS_ID, chatId: CHAT_ID, message });
    expect(recorder.exchanges.map((e) => e.status)).toEqual([200]);
    expect(JSON.parse(recorder.exchanges[0]?.requestBody ?? 'null')).toEqual({ message });
  });
});

/** The call is refused before anything is sent: a ValidationError naming `field`, no request, no hook. */
async function expectRefused(
  recorder: Recorder,
  call: (market: MarketClient) => Promise<unknown>,
  field: string,
): Promise<void> {
  const since = recorder.exchanges.length;
  const requests: unknown[] = [];
  const market = clientFor(recorder, {
    client: { maxRetries: 0, hooks: { onRequest: (event) => requests.push(event) } },
  });
  const error = await rejectionOf(call(market));
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
  expect(error.message.startsWith(field)).toBe(true);
  expect(recorder.exchanges.length - since).toBe(0);
  expect(requests).toEqual([]);
}

describe('arbitrary invalid inputs of every operation', () => {
  for (const { operationId } of operations) {
    it(`${operationId}: refused with a ValidationError naming the field, nothing sent (${RUNS * 4} runs)`, async () => {
      const invalid = INVALID[operationId];
      if (invalid === undefined)
        throw new Error(`contract-tests: no invalid-input arbitrary for ${operationId}`);
      await fc.assert(
        fc.asyncProperty(invalid, async ({ field, input }: InvalidInput) => {
          await expectRefused(recorder, (market) => callOperation(market, operationId, input), field);
        }),
        { numRuns: RUNS * 4 },
      );
    });
  }

  for (const [operationId, misspelt] of Object.entries(MISSPELT)) {
    it(`${operationId}: a misspelt field (${misspelt}) is refused by name, not ignored`, async () => {
      const [input] = fc.sample(VALID[operationId] ?? fc.constant({}), { numRuns: 1, seed: 1 });
      await expectRefused(
        recorder,
        (market) => callOperation(market, operationId, { ...input, [misspelt]: 1 }),
        misspelt,
      );
    });
  }

  it('sendMessageToChat: 2049 emoji (4098 UTF-16 code units, but 2049 code points, which Prism would accept) are refused', async () => {
    const message = '😀'.repeat(2049);
    await expectRefused(
      recorder,
      (market) => market.sendMessageToChat({ businessId: BUSINESS_ID, chatId: CHAT_ID, message }),
      'message',
    );
  });

  it('iterateChats and iterateChatHistory check pageSize at once (1..20, 1..100), before any request', () => {
    const requests: unknown[] = [];
    const market = clientFor(recorder, { client: { hooks: { onRequest: (event) => requests.push(event) } } });
    for (const pageSize of [0, 21, 1.5]) {
      expect(() => market.iterateChats({ businessId: BUSINESS_ID, pageSize })).toThrow(
        expect.objectContaining({ name: 'ValidationError', field: 'pageSize' }),
      );
    }
    for (const pageSize of [0, 101]) {
      expect(() => market.iterateChatHistory({ businessId: BUSINESS_ID, chatId: CHAT_ID, pageSize })).toThrow(
        expect.objectContaining({ name: 'ValidationError', field: 'pageSize' }),
      );
    }
    expect(() => market.iterateChats({ businessId: 0 })).toThrow(
      expect.objectContaining({ name: 'ValidationError', field: 'businessId' }),
    );
    expect(requests).toEqual([]);
    expect(recorder.exchanges).toEqual([]);
  });

  // A page token that is not well-formed UTF-16 (a lone surrogate, which JSON can carry as "\ud800")
  // cannot be put in a URL: refused by name, nothing sent (it used to be taken for a network failure).
  it('getChats with a pageToken holding a lone surrogate is a ValidationError naming pageToken', async () => {
    await expectRefused(
      recorder,
      (market) => market.getChats({ businessId: BUSINESS_ID, pageToken: 'abc\ud800' }),
      'pageToken',
    );
  });

  // The spec allows extra properties, so Prism and Yandex would ignore a misspelt filter key (`status` for
  // `statuses`) and silently list every chat: the client refuses it by name.
  it('getChats with a misspelt filter key (status) is a ValidationError naming filter.status', async () => {
    await expectRefused(
      recorder,
      (market) => market.getChats({ businessId: BUSINESS_ID, filter: { status: ['NEW'] } as never }),
      'filter.status',
    );
  });

  // createChat refuses unknown fields by name, like the six other methods.
  it('createChat with a misspelt field (contex) is a ValidationError naming it', async () => {
    const input = { businessId: BUSINESS_ID, context: { type: 'ORDER', id: 1 }, contex: 1 };
    await expectRefused(recorder, (market) => market.createChat(input as never), 'contex');
  });
});
