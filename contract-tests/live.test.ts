// Live mode only (MARKET_BASE_URL, a credential, MARKET_BUSINESS_ID and MARKET_ORDER_ID set): real calls
// through Prism's validating proxy, so the real server's answers are checked against the spec too (any
// sl-violations fails the test). vitest.config.ts collects this file only in live mode.
// The reading operations always run; the writes (a message and a file the customer sees) only with
// MARKET_LIVE_WRITES=1 and MARKET_CHAT_ID. The file never goes through Prism's proxy, which re-encodes
// multipart bodies (the file would arrive larger and corrupted): it goes straight to MARKET_BASE_URL.
import { describe, expect, it } from 'vitest';
import { createMarketClient, UnauthorizedError } from '../src/index.ts';
import { rejectionOf } from '../test-support/fake-api.ts';
import { clientFor, contract, credential, isLive, live, useRecorder } from './harness.ts';

const recorder = useRecorder();

describe("live API through Prism's validating proxy", () => {
  if (!isLive || live === undefined) throw new Error('live.test.ts runs in live mode only (MARKET_BASE_URL)');
  const config = live;

  it(`createChat about order MARKET_ORDER_ID returns a chat, and the same chat when repeated (${contract.upstream})`, async () => {
    const market = clientFor(recorder, { client: { maxRetries: 1 } });
    const input = { businessId: config.businessId, context: { type: 'ORDER' as const, id: config.orderId } };
    const first = await market.createChat(input);
    expect(Number.isSafeInteger(first.chatId) && first.chatId >= 1).toBe(true);
    const again = await market.createChat(input);
    expect(again.chatId).toBe(first.chatId);
    expect(recorder.exchanges.every((e) => e.status === 200)).toBe(true);
    expect(market.rateLimit?.limit).toBeTypeOf('number');
  });

  it.skipIf(config.returnId === undefined)(
    `createChat about return MARKET_RETURN_ID returns a chat${config.returnId === undefined ? ' [skipped: MARKET_RETURN_ID not set]' : ''}`,
    async () => {
      const market = clientFor(recorder, { client: { maxRetries: 1 } });
      const result = await market.createChat({
        businessId: config.businessId,
        context: { type: 'RETURN', id: config.returnId ?? 0 },
      });
      expect(Number.isSafeInteger(result.chatId) && result.chatId >= 1).toBe(true);
    },
  );

  it('a missing credential becomes UnauthorizedError, sent once', async () => {
    recorder.expectViolations((v) => v.code === 401 || /security/i.test(v.message ?? ''));
    const market = clientFor(recorder, {
      editHeaders: (headers) => {
        headers.delete('Api-Key');
        headers.delete('Authorization');
      },
    });
    const error = await rejectionOf(
      market.createChat({ businessId: config.businessId, context: { type: 'ORDER', id: config.orderId } }),
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(recorder.exchanges).toHaveLength(1);
  });
});

describe("live reads through Prism's validating proxy", () => {
  if (!isLive || live === undefined) throw new Error('live.test.ts runs in live mode only (MARKET_BASE_URL)');
  const { businessId, chatId } = live;

  /** MARKET_CHAT_ID's chat, else the first one getChats lists (undefined for a business without chats). */
  async function someChat(): Promise<{ chatId: number } | undefined> {
    if (chatId !== undefined) return { chatId }; // the test's own getChat is the one request for it
    const market = clientFor(recorder, { client: { maxRetries: 1 } });
    return (await market.getChats({ businessId, limit: 1 })).chats[0];
  }

  it('getChats: a page of at most `limit` chats; iterateChats stops at break (at most 2 pages of 2)', async () => {
    const market = clientFor(recorder, { client: { maxRetries: 1 } });
    const page = await market.getChats({ businessId, limit: 2 });
    expect(page.chats.length).toBeLessThanOrEqual(2);
    let seen = 0;
    for await (const chat of market.iterateChats({ businessId, pageSize: 2 })) {
      expect(Number.isSafeInteger(chat.chatId)).toBe(true);
      if (++seen === 3) break;
    }
    expect(recorder.exchanges.length).toBeLessThanOrEqual(3);
    expect(recorder.exchanges.every((e) => e.status === 200)).toBe(true);
  });

  it('getChat, getChatHistory and getChatMessage of a chat (MARKET_CHAT_ID, else the first listed)', async (context) => {
    const chat = await someChat();
    if (chat === undefined) return context.skip('the business has no chat to read');
    const market = clientFor(recorder, { client: { maxRetries: 1 } });
    expect((await market.getChat({ businessId, chatId: chat.chatId })).chatId).toBe(chat.chatId);
    const history = await market.getChatHistory({ businessId, chatId: chat.chatId, limit: 5 });
    expect(history.messages.length).toBeLessThanOrEqual(5);
    const [first] = history.messages;
    if (first !== undefined) {
      const message = await market.getChatMessage({
        businessId,
        chatId: chat.chatId,
        messageId: first.messageId,
      });
      expect(message).toEqual(first);
    }
    expect(recorder.exchanges.every((e) => e.status === 200)).toBe(true);
  });
});

describe.skipIf(!live?.writes)(
  `live writes to MARKET_CHAT_ID's customer${live?.writes ? '' : ' [skipped: set MARKET_LIVE_WRITES=1 and MARKET_CHAT_ID to send a real message and file]'}`,
  () => {
    const businessId = live?.businessId ?? 0;
    const chatId = live?.chatId ?? 0;
    const stamp = new Date().toISOString();

    it('sendMessageToChat through the proxy, then the message is in the history', async () => {
      const market = clientFor(recorder, { client: { maxRetries: 1 } });
      const message = `Contract test of yandex-market-chats-client, ${stamp}`;
      await market.sendMessageToChat({ businessId, chatId, message });
      const texts: (string | null | undefined)[] = [];
      for await (const item of market.iterateChatHistory({ businessId, chatId, pageSize: 100 }))
        texts.push(item.message);
      expect(texts).toContain(message);
    });

    it('sendFileToChat straight to MARKET_BASE_URL (never through the proxy), then its size is in the history', async () => {
      const bytes = new TextEncoder().encode(`Contract test of yandex-market-chats-client, ${stamp}\n`);
      const fileName = `contract-test-${stamp.replace(/[^0-9]/g, '')}.txt`;
      const direct = createMarketClient({ ...credential(), baseUrl: live?.baseUrl, maxRetries: 1 });
      await direct.sendFileToChat({ businessId, chatId, file: bytes, fileName, contentType: 'text/plain' });
      const market = clientFor(recorder, { client: { maxRetries: 1 } });
      const files = [];
      for await (const item of market.iterateChatHistory({ businessId, chatId, pageSize: 100 })) {
        files.push(...(item.payload ?? []));
      }
      expect(files).toContainEqual(expect.objectContaining({ name: fileName, size: bytes.byteLength }));
    });
  },
);
