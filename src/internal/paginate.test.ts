// paginate: a page token that comes back ends the iteration, and the message that names it goes through
// the client's redactor like every other text built from a response (issue 15, item 7).
import { describe, expect, it } from 'vitest';
import { createMarketClient, UnexpectedResponseError } from '../index.ts';

const API_KEY = 'secret-api-key-0042';

/** A fetch that answers getChats with one chat per page and the given next tokens, in turn. */
function pagesWithTokens(...tokens: string[]) {
  const sent: string[] = [];
  const fetch = async (request: Request) => {
    sent.push(new URL(request.url).search);
    const nextPageToken = tokens[sent.length - 1];
    const chat = {
      chatId: sent.length,
      context: { type: 'DIRECT' },
      type: 'CHAT',
      status: 'NEW',
      createdAt: '2026-11-25T10:00:00Z',
      updatedAt: '2026-11-25T10:00:00Z',
    };
    const body = { status: 'OK', result: { chats: [chat], paging: { nextPageToken } } };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  };
  return { fetch, sent };
}

async function failureOf(iteration: AsyncIterable<unknown>): Promise<Error> {
  try {
    for await (const _ of iteration);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the iteration ended without an error');
}

describe('a page token that comes back', () => {
  const clientWith = (...tokens: string[]) => {
    const api = pagesWithTokens(...tokens);
    const market = createMarketClient({
      apiKey: API_KEY,
      baseUrl: 'https://api.example.test',
      fetch: api.fetch,
    });
    return { market, sent: api.sent };
  };

  it('is named redacted when it equals the credential', async () => {
    const { market, sent } = clientWith(API_KEY, API_KEY);
    const error = await failureOf(market.iterateChats({ businessId: 12 }));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toBe(
      'getChats: page token "[REDACTED]" came back a second time: the iteration stops instead of looping',
    );
    expect(JSON.stringify(error)).not.toContain(API_KEY);
    expect(error.stack).not.toContain(API_KEY);
    expect(sent).toHaveLength(2);
  });

  it('is named redacted when it holds the credential percent-encoded', async () => {
    const apiKey = 'key/with+signs=1';
    const encoded = encodeURIComponent(apiKey);
    const api = pagesWithTokens(`t-${encoded}`, `t-${encoded}`);
    const market = createMarketClient({ apiKey, baseUrl: 'https://api.example.test', fetch: api.fetch });
    const error = await failureOf(market.iterateChats({ businessId: 12 }));
    expect(error.message).toBe(
      'getChats: page token "t-[REDACTED]" came back a second time: the iteration stops instead of looping',
    );
  });

  it('is named as it came when it is not the credential', async () => {
    const { market } = clientWith('page-2', 'page-2');
    const error = await failureOf(market.iterateChats({ businessId: 12 }));
    expect(error.message).toBe(
      'getChats: page token "page-2" came back a second time: the iteration stops instead of looping',
    );
  });
});
