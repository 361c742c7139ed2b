// A loopback imitation of Yandex's rate limits, for `npm run bench:quota` (scripts/bench-quota.ts).
//
// - Per business, at most `maxInFlight` requests in flight (all operations together): one more is answered
//   at once with 420 "Hit rate limit of 4 parallel requests", Remaining still above 0.
// - Per business and operation, a quota of `quota` calls per `windowMs`; windows are aligned to whole
//   seconds of the wall clock, so `X-RateLimit-Resource-Until` (an HTTP date) is exact. Past the quota:
//   420 with Remaining 0 and Until = the end of the window.
// - An admitted request takes `serviceMs`, then gets 200 `{"status":"OK","result":{"chatId":N}}`.
//   A 420 uses no quota. Every response carries the three rate-limit headers and a `Date`.
//
// An operation is the method and the path with its numeric segments blanked out, so every operation
// under /v2/businesses/{businessId}/ gets its own quota without a route table.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface QuotaServerOptions {
  /** Calls per window, per business and operation. Default 40. */
  quota?: number;
  /** The window, a whole number of seconds in ms (so that Until is exact). Default 2000. */
  windowMs?: number;
  /** How long an admitted request takes. Default 40. */
  serviceMs?: number;
  /** Requests in flight per business, all operations together. Default 4. */
  maxInFlight?: number;
  /** The wall clock (ms since the epoch); injectable for tests. Default Date.now. */
  now?: () => number;
}

export interface QuotaServerCounts {
  /** Requests admitted (each used one call of quota and got a 200). */
  admitted: number;
  /** 420s for the parallel limit. */
  parallelRejected: number;
  /** 420s for the quota. */
  quotaRejected: number;
}

export interface QuotaServer {
  readonly baseUrl: string;
  /** What the server has answered so far. */
  counts(): QuotaServerCounts;
  /** When the next window opens, in ms since the epoch. */
  nextWindowAt(): number;
  /** Stops listening and drops every connection (keep-alive ones included). */
  close(): Promise<void>;
}

const BUSINESS_PATH = /^\/v2\/businesses\/(\d+)\//;

export async function startQuotaServer(options: QuotaServerOptions = {}): Promise<QuotaServer> {
  const quota = positiveInteger('quota', options.quota ?? 40);
  const windowMs = positiveInteger('windowMs', options.windowMs ?? 2000);
  if (windowMs % 1000 !== 0) throw new Error(`windowMs must be whole seconds, got ${windowMs}`);
  const serviceMs = positiveInteger('serviceMs', options.serviceMs ?? 40);
  const maxInFlight = positiveInteger('maxInFlight', options.maxInFlight ?? 4);
  const now = options.now ?? Date.now;

  const inFlight = new Map<string, number>(); // per business
  const used = new Map<string, { windowStart: number; calls: number }>(); // per business and operation
  const counts: QuotaServerCounts = { admitted: 0, parallelRejected: 0, quotaRejected: 0 };

  function answer(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const businessId = BUSINESS_PATH.exec(path)?.[1];
    if (businessId === undefined) return send(res, 404, error('404', 'No such method'));
    if (!req.headers['api-key'] && !req.headers.authorization) {
      return send(res, 401, error('401', 'No credential'));
    }
    const started = now();
    const windowStart = Math.floor(started / windowMs) * windowMs;
    const operation = `${businessId} ${req.method} ${path.replace(/\/\d+(?=\/|$)/g, '/{}')}`;
    let window = used.get(operation);
    if (window === undefined || window.windowStart !== windowStart) {
      window = { windowStart, calls: 0 };
      used.set(operation, window);
    }
    // The headers describe the quota as the limiter decided, at admission (a 200 may arrive after Until).
    const limitHeaders = (remaining: number) => ({
      'X-RateLimit-Resource-Limit': String(quota),
      'X-RateLimit-Resource-Remaining': String(remaining),
      'X-RateLimit-Resource-Until': new Date(windowStart + windowMs).toUTCString(),
    });
    if (window.calls >= quota) {
      counts.quotaRejected++;
      const message = `Hit rate limit of ${quota} requests per ${windowMs / 1000} seconds for this method`;
      return send(res, 420, error('420', message), limitHeaders(0));
    }
    const busy = inFlight.get(businessId) ?? 0;
    if (busy >= maxInFlight) {
      counts.parallelRejected++;
      const message = `Hit rate limit of ${maxInFlight} parallel requests`;
      return send(res, 420, error('420', message), limitHeaders(quota - window.calls));
    }
    window.calls++;
    counts.admitted++;
    inFlight.set(businessId, busy + 1);
    const headers = limitHeaders(quota - window.calls);
    const chatId = counts.admitted;
    // The slot is held for the whole service time, even if the client gives up: the server still works.
    setTimeout(() => {
      inFlight.set(businessId, (inFlight.get(businessId) ?? 1) - 1);
      send(res, 200, { status: 'OK', result: { chatId } }, headers);
    }, serviceMs);
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    if (res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, status === 420 ? 'Enhance Your Calm' : undefined, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(text)),
      Date: new Date(now()).toUTCString(), // one-second resolution, as real servers send it
      ...headers,
    });
    res.end(text);
  }

  const server = createServer((req, res) => {
    req.resume(); // the body is not needed; answer once it is in, as a real server would
    req.once('end', () => answer(req, res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    nextWindowAt: () => (Math.floor(now() / windowMs) + 1) * windowMs,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function error(code: string, message: string) {
  return { status: 'ERROR', errors: [{ code, message }] };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
