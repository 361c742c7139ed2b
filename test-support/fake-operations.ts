// Two small operations for engine tests: a `safe` read and a `write`, so that per-operation quotas and the
// write retry policy can be tested apart from createChat.
import { afterEach, beforeEach, vi } from 'vitest';
import { type CallSettings, createEngine, type EngineSettings } from '../src/internal/engine.ts';
import type { Operation } from '../src/internal/operation.ts';
import { fakeApi, json, type Reply, type SentRequest } from './fake-api.ts';

export interface ThingInput {
  businessId: number;
  id: number;
}

export const getThing: Operation<ThingInput, { id: number }> = {
  name: 'getThing',
  method: 'get',
  path: '/v2/businesses/{businessId}/things',
  retry: 'safe',
  validate: (input) => input as ThingInput,
  toRequest: ({ businessId, id }) => ({ path: { businessId }, query: { id } }),
  readResult(body) {
    const id = (body as { result?: { id?: unknown } } | null)?.result?.id;
    return typeof id === 'number' ? { ok: true, value: { id } } : { ok: false, problem: 'has no result.id' };
  },
};

export const sendThing: Operation<ThingInput, { id: number }> = {
  ...getThing,
  name: 'sendThing',
  method: 'post',
  path: '/v2/businesses/{businessId}/things/send',
  retry: 'write',
  toRequest: ({ businessId, id }) => ({ path: { businessId }, body: { id } }),
};

export const BASE_URL = 'https://api.example.test';

export const DEFAULT_CALL: CallSettings = {
  signal: undefined,
  maxRetries: 2,
  maxRateLimitResends: 9,
  timeoutMs: 30_000,
  deadlineMs: 300_000,
};

/** DEFAULT_CALL with some settings changed. */
export const callWith = (overrides: Partial<CallSettings>): CallSettings => ({
  ...DEFAULT_CALL,
  ...overrides,
});

/** A 200 the fake operations accept. */
export function thing(id: number, headers: Record<string, string> = {}): Response {
  return json(200, { status: 'OK', result: { id } }, headers);
}

/** Which operation and business a request of the fake operations was for. */
export function routeOf(request: { url: string }): { operation: string; businessId: number } {
  const match = /\/v2\/businesses\/(\d+)\/things(\/send)?/.exec(new URL(request.url).pathname);
  if (match === null) throw new Error(`not a fake operation: ${request.url}`);
  return { operation: match[2] === undefined ? 'getThing' : 'sendThing', businessId: Number(match[1]) };
}

/** An engine over a scripted fake fetch (one reply per request, see fakeApi), with the client's defaults unless overridden. */
export function fakeEngine(script: Reply | Reply[], settings: Partial<EngineSettings> = {}) {
  const api = fakeApi(...(Array.isArray(script) ? script : [script]));
  const engine = createEngine({
    baseUrl: BASE_URL,
    headers: { 'Api-Key': 'k' },
    fetch: api.fetch,
    hooks: {},
    maxRetryDelayMs: 60_000,
    maxResponseBytes: 10 * 1024 * 1024,
    maxInFlight: 4,
    sharedLimits: undefined,
    ...settings,
  });
  return { engine, sent: api.sent };
}

// For the engine's tests, which run on fake timers from ENGINE_NOW (see useEngineClock).

/** The fake clock's start in the engine's tests. */
export const ENGINE_NOW = Date.parse('2026-11-25T12:00:00Z');

/** Fake timers from `now` (ENGINE_NOW), and no jitter: backoff 500, 1000 ms; parallel-limit waits 13, 25 ms. */
export function useEngineClock(now = ENGINE_NOW): void {
  beforeEach(() => {
    vi.useFakeTimers({ now });
    vi.spyOn(Math, 'random').mockReturnValue(0);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
}

/** Rate-limit headers: `remaining` calls left in a window that ends `untilMs` from ENGINE_NOW. */
export function quota(remaining: number, untilMs: number): Record<string, string> {
  return {
    'X-RateLimit-Resource-Limit': '40',
    'X-RateLimit-Resource-Remaining': String(remaining),
    'X-RateLimit-Resource-Until': new Date(ENGINE_NOW + untilMs).toISOString(),
  };
}

/** A reply that arrives `ms` after the request. */
export function delayed(ms: number, reply: () => Response): Reply {
  return () => new Promise((resolve) => setTimeout(() => resolve(reply()), ms));
}

/** A server that never answers. */
export const hang: Reply = () => new Promise<Response>(() => {});

/** When each request was sent, in ms from ENGINE_NOW. */
export function offsets(sent: SentRequest[]): number[] {
  return sent.map((request) => request.at - ENGINE_NOW);
}

/** Each request as `operation businessId @ms-from-ENGINE_NOW`. */
export function routes(sent: SentRequest[]): string[] {
  return sent.map((request) => {
    const { operation, businessId } = routeOf(request);
    return `${operation} ${businessId} @${request.at - ENGINE_NOW}`;
  });
}

/** A promise's value or error, without rejecting. */
export function settle<T>(promise: Promise<T>) {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** What fetch rejects with when the connection is refused. */
export function refused(): Error {
  const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
  return new TypeError('fetch failed', { cause });
}

/** What fetch rejects with when the connection is reset. */
export function reset(): Error {
  const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  return new TypeError('fetch failed', { cause });
}
