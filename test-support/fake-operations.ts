// Two small operations for engine tests: a `safe` read and a `write`, so that per-operation quotas and the
// write retry policy can be tested apart from createChat.
import { type CallSettings, createEngine, type EngineSettings } from '../src/internal/engine.ts';
import type { Operation } from '../src/internal/operation.ts';
import { fakeApi, json, type Reply } from './fake-api.ts';

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
