// The engine's three steps into shared limits (issue 16), with a fake store.
import { describe, expect, it } from 'vitest';
import {
  createMarketClient,
  DeadlineError,
  RateLimitError,
  type SharedLimits,
  ValidationError,
} from './index.ts';

type Enter = SharedLimits['enter'];

function fakeShared(enter: Enter) {
  const released: (string | undefined)[] = [];
  const observed: [number | undefined, string][] = [];
  const limits: SharedLimits = {
    enter,
    observe: (state, operation) => observed.push([state.remaining, operation]),
  };
  const slot = () => {
    let done = false; // the interface: the first release counts
    const release = (outcome?: string) => {
      if (!done) released.push(outcome);
      done = true;
    };
    return { slot: { release } };
  };
  return { limits, released, observed, slot };
}

function api(...statuses: number[]) {
  const sent: string[] = [];
  const fetch = async (request: Request) => {
    sent.push(request.url);
    const status = statuses.shift() ?? 200;
    const body = status === 200 ? { status: 'OK', result: { chatId: 5 } } : { status: 'ERROR', errors: [] };
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', 'X-RateLimit-Resource-Remaining': '7' },
    });
  };
  return { sent, fetch };
}

const input = { businessId: 1, context: { type: 'ORDER' as const, id: 2 } };

describe('sharedLimits', () => {
  it('sends with a shared slot, tells the store what the answer said, and frees the slot once', async () => {
    const shared = fakeShared(async () => shared.slot());
    const { sent, fetch } = api();
    const client = createMarketClient({
      apiKey: 'k',
      baseUrl: 'http://127.0.0.1:9',
      fetch,
      sharedLimits: shared.limits,
    });
    await client.createChat(input);
    expect(sent).toHaveLength(1);
    expect(shared.observed).toEqual([[7, 'createChat']]);
    expect(shared.released).toEqual(['ok']);
  });

  it('reports a parallel-limit 420 to the store', async () => {
    const shared = fakeShared(async () => shared.slot());
    const { fetch } = api(420, 200);
    const client = createMarketClient({
      apiKey: 'k',
      baseUrl: 'http://127.0.0.1:9',
      fetch,
      sharedLimits: shared.limits,
    });
    await client.createChat(input);
    expect(shared.released).toEqual(['parallel-limit', 'ok']);
  });

  it('holds for a window the store knows is used up, without sending, under maxRetryDelayMs', async () => {
    const shared = fakeShared(async () => ({ holdUntil: Date.now() + 5_000 }));
    const { sent, fetch } = api();
    const client = createMarketClient({
      apiKey: 'k',
      baseUrl: 'http://127.0.0.1:9',
      fetch,
      sharedLimits: shared.limits,
      maxRetryDelayMs: 1_000,
    });
    await expect(client.createChat(input)).rejects.toBeInstanceOf(RateLimitError);
    expect(sent).toHaveLength(0);
  });

  it('uses its own limits when the store cannot answer, and frees its local slot when the store times out', async () => {
    let calls = 0;
    const shared = fakeShared(async (_b, _o, _s, _w, onTimeout) => {
      calls++;
      if (calls <= 4) throw onTimeout();
      return undefined;
    });
    const { sent, fetch } = api();
    const client = createMarketClient({
      apiKey: 'k',
      baseUrl: 'http://127.0.0.1:9',
      fetch,
      sharedLimits: shared.limits,
    });
    const first = await Promise.allSettled([1, 2, 3, 4].map(() => client.createChat(input)));
    expect(first.map((r) => r.status === 'rejected' && r.reason instanceof DeadlineError)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    await client.createChat(input); // all four local slots were given back
    expect(sent).toHaveLength(1);
  });

  it('refuses a sharedLimits that is not a store’s limits', () => {
    const make = (sharedLimits: unknown) =>
      createMarketClient({ apiKey: 'k', sharedLimits: sharedLimits as SharedLimits });
    expect(() => make(5)).toThrow(ValidationError);
    expect(() => make({ enter: () => {} })).toThrow(/sharedLimits\.observe must be a function/);
  });
});
