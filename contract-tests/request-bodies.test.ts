// The request bodies of the chat operations through Prism's request validation: each request example of
// the spec, sent through the client's method, goes out exactly as the spec shows it; sendFileToChat's body
// is multipart/form-data with a boundary, never JSON. Prism 5.14.2 reads the binary part as a string, so it
// cannot check the part's filename, type or size in bytes: src/operations/send-file-to-chat.test.ts does.
import { describe, expect, it } from 'vitest';
import type { MarketClient } from '../src/index.ts';
import { clientFor, isLive, MOCK_ONLY, spec, useRecorder, type Violation } from './harness.ts';
import { BUSINESS_ID, CHAT_ID, DRIVERS, FILE_BYTES } from './operations.ts';
import { type Json, requestExamples, requestMediaTypes, specOperations } from './spec.ts';

const recorder = useRecorder();

/** Each operation's method called with a request example's value as its input (createChat: requests.test.ts). */
const FROM_EXAMPLE: Readonly<Record<string, (market: MarketClient, value: Json) => Promise<unknown>>> = {
  getChats: (market, value) => market.getChats({ businessId: BUSINESS_ID, filter: value as never }),
  getChatHistory: (market, value) =>
    market.getChatHistory({
      businessId: BUSINESS_ID,
      chatId: CHAT_ID,
      ...(value as { messageIdFrom?: number }),
    }),
  sendMessageToChat: (market, value) =>
    market.sendMessageToChat({
      businessId: BUSINESS_ID,
      chatId: CHAT_ID,
      message: (value as { message: string }).message,
    }),
};

describe.skipIf(isLive)(`request bodies the spec accepts${MOCK_ONLY}`, () => {
  const withExamples = specOperations(spec)
    .map(({ operationId }) => ({ operationId, examples: requestExamples(spec, operationId) }))
    .filter(({ operationId, examples }) => operationId !== 'createChat' && examples.length > 0);

  it('every operation with request examples has a way to send them', () => {
    expect(withExamples.map((o) => o.operationId).sort()).toEqual(Object.keys(FROM_EXAMPLE).sort());
  });

  for (const { operationId, examples } of withExamples) {
    for (const example of examples) {
      it(`${operationId} request example "${example.name}": sent exactly as the spec shows it, no violations`, async () => {
        const send = FROM_EXAMPLE[operationId];
        if (send === undefined) throw new Error(`no way to send ${operationId}'s examples`);
        await send(clientFor(recorder), example.value);
        expect(recorder.exchanges.map((e) => e.status)).toEqual([200]);
        const [exchange] = recorder.exchanges;
        expect(exchange?.requestHeaders['content-type']).toMatch(/^application\/json/);
        expect(JSON.parse(exchange?.requestBody ?? 'null')).toEqual(example.value);
      });
    }
  }

  it('sendFileToChat: the spec takes only multipart/form-data', () => {
    expect(requestMediaTypes(spec, 'sendFileToChat')).toEqual(['multipart/form-data']);
  });

  it('sendFileToChat: multipart/form-data with a boundary and one part `file`, accepted with no violations', async () => {
    const market = clientFor(recorder);
    await DRIVERS.sendFileToChat?.call(market);
    expect(recorder.exchanges.map((e) => e.status)).toEqual([200]);
    const [exchange] = recorder.exchanges;
    const contentType = exchange?.requestHeaders['content-type'] ?? '';
    const boundary = /^multipart\/form-data; boundary=(\S+)$/.exec(contentType)?.[1];
    expect(boundary, contentType).toBeDefined();
    const parts = (exchange?.requestBody ?? '').split(`--${boundary}`).slice(1, -1);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatch(/Content-Disposition: form-data; name="file"; filename="invoice.pdf"/);
    expect(exchange?.requestBytes.byteLength).toBeGreaterThan(FILE_BYTES.byteLength);
  });

  it('sendFileToChat: Prism does check the media type (text/plain is a 415 violation), so the test above can fail', async () => {
    const isMediaType = (v: Violation) => v.code === 415;
    recorder.expectViolations(isMediaType);
    const market = clientFor(recorder, {
      editHeaders: (headers) => headers.set('Content-Type', 'text/plain'),
      client: { maxRetries: 0 },
    });
    await expect(DRIVERS.sendFileToChat?.call(market)).rejects.toThrow();
    const [exchange] = recorder.exchanges;
    expect(exchange?.violations?.filter(isMediaType)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('multipart/form-data') }),
    ]);
  });
});
