// The iterators over several pages, against the mock. Prism answers each request with one example, so the
// test's fetch picks the page per request: the spec's `firstPage` example (which carries
// `paging.nextPageToken`) for a request without `pageToken`, its `lastPage` example (without one) for a
// request with it. Still the public client: createMarketClient with that fetch.
import { describe, expect, it } from 'vitest';
import { type MarketClient, UnexpectedResponseError } from '../src/index.ts';
import { rejectionOf } from '../test-support/fake-api.ts';
import { clientFor, isLive, MOCK_ONLY, type Prefer, spec, useRecorder } from './harness.ts';
import { BUSINESS_ID, CHAT_ID, nextPageToken, resultOf } from './operations.ts';
import { type Json, responseExample } from './spec.ts';

const recorder = useRecorder();

interface Paged {
  operationId: 'getChats' | 'getChatHistory';
  /** The list of items in a page's `result`. */
  items: 'chats' | 'messages';
  iterate(
    market: MarketClient,
    pageToken?: string,
  ): AsyncIterable<unknown> & { pageToken: string | undefined };
  /** The body every page request carries. */
  body: unknown;
}

const PAGED: Paged[] = [
  {
    operationId: 'getChats',
    items: 'chats',
    iterate: (market, pageToken) =>
      market.iterateChats({ businessId: BUSINESS_ID, filter: { statuses: ['NEW'] }, pageSize: 2, pageToken }),
    body: { statuses: ['NEW'] },
  },
  {
    operationId: 'getChatHistory',
    items: 'messages',
    iterate: (market, pageToken) =>
      market.iterateChatHistory({
        businessId: BUSINESS_ID,
        chatId: CHAT_ID,
        messageIdFrom: 3301,
        pageSize: 3,
        pageToken,
      }),
    body: { messageIdFrom: 3301 },
  },
];

/** The result of the operation's named 200 example. */
const exampleResult = (operationId: string, name: string) =>
  resultOf(responseExample(spec, operationId, '200', name).value);

const pageTokenOf = (request: Request) => new URL(request.url).searchParams.get('pageToken');

/** firstPage for a request without a page token, lastPage for one with it. */
const byToken = (_n: number, request: Request): Prefer => ({
  code: 200,
  example: pageTokenOf(request) === null ? 'firstPage' : 'lastPage',
});

async function collect(items: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe.skipIf(isLive)(`iterators over several pages${MOCK_ONLY}`, () => {
  for (const paged of PAGED) {
    const { operationId, items } = paged;
    const first = exampleResult(operationId, 'firstPage');
    const last = exampleResult(operationId, 'lastPage');
    const token = nextPageToken(first);

    it(`${operationId}: the spec's firstPage example has a next page token and its lastPage none`, () => {
      expect(token).toEqual(expect.any(String));
      expect(nextPageToken(last)).toBeUndefined();
    });

    it(`${operationId}: every item of firstPage then lastPage, in order; the second request carries the token`, async () => {
      const market = clientFor(recorder, { prefer: byToken });
      const iterator = paged.iterate(market);
      const all = await collect(iterator);
      expect(all).toEqual([...(first[items] as Json[]), ...(last[items] as Json[])]);
      const sent = recorder.exchanges;
      expect(sent.map((e) => e.status)).toEqual([200, 200]);
      expect(sent.map((e) => new URL(e.url).searchParams.get('pageToken'))).toEqual([null, token]);
      // Each page goes through the same limits and the same body.
      const limits = sent.map((e) => new URL(e.url).searchParams.get('limit'));
      expect(new Set(limits).size).toBe(1);
      expect(limits[0]).toMatch(/^\d+$/);
      for (const exchange of sent) expect(JSON.parse(exchange.requestBody)).toEqual(paged.body);
      // Where to resume after a crash: the token of the page the last item came from.
      expect(iterator.pageToken).toBe(token);
    });

    it(`${operationId}: a page token that comes back again ends the iteration with UnexpectedResponseError, not a loop`, async () => {
      const market = clientFor(recorder, { prefer: { code: 200, example: 'firstPage' } });
      const seen: unknown[] = [];
      const error = await rejectionOf(
        (async () => {
          for await (const item of paged.iterate(market)) seen.push(item);
        })(),
      );
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect(error.message).toContain(`${operationId}:`);
      expect(error.message).toContain(String(token));
      expect(error.message).toMatch(/second time/);
      expect(recorder.exchanges).toHaveLength(2);
      expect(seen).toEqual([...(first[items] as Json[]), ...(first[items] as Json[])]);
    });

    it(`${operationId}: break after the first item sends no further request`, async () => {
      const market = clientFor(recorder, { prefer: byToken });
      for await (const item of paged.iterate(market)) {
        expect(item).toEqual((first[items] as Json[])[0]);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(recorder.exchanges).toHaveLength(1);
    });

    it(`${operationId}: resumes from a stored page token: that page first, sent with the token`, async () => {
      const market = clientFor(recorder, { prefer: byToken });
      const all = await collect(paged.iterate(market, String(token)));
      expect(all).toEqual(last[items]);
      expect(recorder.exchanges.map((e) => new URL(e.url).searchParams.get('pageToken'))).toEqual([token]);
    });

    it(`${operationId}: a signal aborted between pages stops the iteration before the next request`, async () => {
      const controller = new AbortController();
      const market = clientFor(recorder, { prefer: byToken });
      const iterator =
        operationId === 'getChats'
          ? market.iterateChats({ businessId: BUSINESS_ID }, { signal: controller.signal })
          : market.iterateChatHistory(
              { businessId: BUSINESS_ID, chatId: CHAT_ID },
              { signal: controller.signal },
            );
      const error = await rejectionOf(
        (async () => {
          for await (const _ of iterator) controller.abort();
        })(),
      );
      expect(error).toBe(controller.signal.reason);
      expect(recorder.exchanges).toHaveLength(1);
    });
  }

  it("getChatHistory: the iterator keeps the chat's context from the pages", async () => {
    const market = clientFor(recorder, { prefer: byToken });
    const iterator = market.iterateChatHistory({ businessId: BUSINESS_ID, chatId: CHAT_ID });
    expect(iterator.context).toBeUndefined();
    await collect(iterator);
    expect(iterator.context).toEqual(exampleResult('getChatHistory', 'lastPage').context);
  });
});
