// Live mode only (MARKET_BASE_URL, a credential, MARKET_BUSINESS_ID and MARKET_ORDER_ID set): real
// createChat calls through Prism's validating proxy, so the real server's answers are checked against the
// spec too (any sl-violations fails the test). vitest.config.ts collects this file only in live mode.
import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../src/index.ts';
import { rejectionOf } from '../src/test-support/fake-api.ts';
import { clientFor, contract, isLive, live, useRecorder } from './harness.ts';

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
