import { afterEach, describe, expect, it } from 'vitest';
import { type QuotaServer, type QuotaServerOptions, startQuotaServer } from './quota-server.ts';

// Long service times (500 ms) keep the requests of a burst in flight together even on a loaded machine.
// Half a second into a window of whole seconds: every request of a test lands in the same window.
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0, 500);
const CREATE_CHAT = '/v2/businesses/7/chats/new';

let server: QuotaServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: QuotaServerOptions): Promise<QuotaServer> {
  server = await startQuotaServer(options);
  return server;
}

async function post(path: string, headers: Record<string, string> = { 'Api-Key': 'k' }) {
  const res = await fetch(`${server?.baseUrl}${path}`, { method: 'POST', headers, body: '{}' });
  return {
    status: res.status,
    body: (await res.json()) as { status: string; errors?: { code: string; message: string }[] },
    limit: res.headers.get('X-RateLimit-Resource-Limit'),
    remaining: res.headers.get('X-RateLimit-Resource-Remaining'),
    until: res.headers.get('X-RateLimit-Resource-Until'),
    date: res.headers.get('Date'),
  };
}

describe('quota server', () => {
  it('answers the fifth request in flight at once with a parallel-limit 420, quota left', async () => {
    await start({ quota: 100, serviceMs: 500, now: () => T0 });
    const started = performance.now();
    const replies = await Promise.all(Array.from({ length: 5 }, () => post(CREATE_CHAT)));
    const rejected = replies.filter((r) => r.status === 420);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(4);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.body).toEqual({
      status: 'ERROR',
      errors: [{ code: '420', message: 'Hit rate limit of 4 parallel requests' }],
    });
    expect(rejected[0]?.remaining).toBe('96'); // quota left: 100 less the 4 admitted
    expect(server?.counts()).toEqual({ admitted: 4, parallelRejected: 1, quotaRejected: 0 });
    // The admitted ones took the service time; the slots are free again afterwards.
    expect(performance.now() - started).toBeGreaterThanOrEqual(495);
    expect((await post(CREATE_CHAT)).status).toBe(200);
  });

  it('answers past the quota with 420, Remaining 0 and Until at the end of the window, on a whole second', async () => {
    await start({ quota: 3, windowMs: 1000, serviceMs: 1, now: () => T0 });
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await post(CREATE_CHAT));
    expect(replies.map((r) => [r.status, r.limit, r.remaining])).toEqual([
      [200, '3', '2'],
      [200, '3', '1'],
      [200, '3', '0'],
      [420, '3', '0'],
    ]);
    const until = replies[3]?.until ?? '';
    expect(until).toBe('Thu, 01 Jan 2026 00:00:01 GMT');
    expect(Date.parse(until) % 1000).toBe(0);
    expect(replies[3]?.date).toBe('Thu, 01 Jan 2026 00:00:00 GMT');
    expect(replies[3]?.body.errors?.[0]?.code).toBe('420');
    expect(server?.counts()).toEqual({ admitted: 3, parallelRejected: 0, quotaRejected: 1 });
  });

  it('uses no quota for a 420', async () => {
    await start({ quota: 5, serviceMs: 500, now: () => T0 });
    const burst = await Promise.all(Array.from({ length: 6 }, () => post(CREATE_CHAT)));
    expect(burst.filter((r) => r.status === 420)).toHaveLength(2);
    // 4 admitted of 5: one call left, whatever the two 420s were.
    expect((await post(CREATE_CHAT)).remaining).toBe('0');
    expect((await post(CREATE_CHAT)).status).toBe(420);
  });

  it('counts the quota per business and operation, and opens a new window on time', async () => {
    let clock = T0;
    await start({ quota: 1, windowMs: 2000, serviceMs: 1, now: () => clock });
    expect((await post(CREATE_CHAT)).status).toBe(200);
    expect((await post(CREATE_CHAT)).status).toBe(420);
    expect((await post('/v2/businesses/8/chats/new')).status).toBe(200); // another business
    expect((await post('/v2/businesses/7/chats/12/messages')).status).toBe(200); // another operation
    expect((await post('/v2/businesses/7/chats/13/messages')).status).toBe(420); // same operation
    const until = (await post(CREATE_CHAT)).until;
    expect(until).toBe('Thu, 01 Jan 2026 00:00:02 GMT'); // windows of 2 s start on even seconds
    expect(server?.nextWindowAt()).toBe(Date.parse(until ?? ''));
    clock = Date.parse(until ?? '');
    const reply = await post(CREATE_CHAT);
    expect([reply.status, reply.remaining, reply.until]).toEqual([200, '0', 'Thu, 01 Jan 2026 00:00:04 GMT']);
  });

  it('shares the parallel limit among the operations of a business', async () => {
    await start({ quota: 10, serviceMs: 500, maxInFlight: 2, now: () => T0 });
    const replies = await Promise.all([
      post(CREATE_CHAT),
      post('/v2/businesses/7/chats'),
      post('/v2/businesses/7/chats/1/messages'),
      post('/v2/businesses/8/chats/new'), // another business has its own slots
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 420]);
    expect(replies[3]?.status).toBe(200);
  });

  it('refuses a request without a credential, and paths outside a business', async () => {
    await start({ now: () => T0 });
    expect((await post(CREATE_CHAT, {})).status).toBe(401);
    expect((await post('/v2/chats/new')).status).toBe(404);
    expect(server?.counts()).toEqual({ admitted: 0, parallelRejected: 0, quotaRejected: 0 });
  });

  it('rejects a window that is not whole seconds, and limits that are not positive integers', async () => {
    await expect(startQuotaServer({ windowMs: 1500 })).rejects.toThrow('windowMs must be whole seconds');
    await expect(startQuotaServer({ quota: 0 })).rejects.toThrow('quota must be a positive integer');
    await expect(startQuotaServer({ maxInFlight: 2.5 })).rejects.toThrow('maxInFlight');
  });
});
