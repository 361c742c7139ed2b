// The HTTP part of scripts/bench.ts: createChat against scripts/bench/server.ts (a child process) through
// plain fetch, bare openapi-fetch and createMarketClient, on both kinds of answer, interleaved in rounds.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import createClient from 'openapi-fetch';
import type { paths } from '../../generated/schema.ts';
import { createMarketClient } from '../../src/index.ts';
import { median } from './stats.ts';

/** The two kinds of answer: with a Content-Length, and as a compressing front end sends them. */
export type Kind = 'length' | 'gzip';
export const KINDS: readonly Kind[] = ['length', 'gzip'];
export const KIND_LABELS: Record<Kind, string> = {
  length: 'Content-Length',
  gzip: 'gzip, chunked, no Content-Length',
};

export type Key = 'a' | 'b' | 'c';
export const KEYS: readonly Key[] = ['a', 'b', 'c'];
export const LABELS: Record<Key, string> = { a: 'plain fetch', b: 'openapi-fetch', c: 'createMarketClient' };

export const API_KEY = 'bench-api-key';
export const BUSINESS_ID = 123456;
export const ORDER_ID = 5123456789;
const EXPECTED_CHAT_ID = 987654321;
const CONCURRENCY = 4;

// A collectable heap between batches keeps GC pauses from landing on one variant more than another.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export interface BenchServer {
  baseUrls: Record<Kind, string>;
  child: ChildProcess;
}

export async function startServer(): Promise<BenchServer> {
  const serverFile = fileURLToPath(new URL('./server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', serverFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ports = await new Promise<[number, number]>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^listening (\d+) (\d+)$/.exec(line);
      if (match) resolve([Number(match[1]), Number(match[2])]);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
    setTimeout(() => reject(new Error('bench server did not start within 10 s')), 10_000).unref();
  });
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return { baseUrls: { length: url(ports[0]), gzip: url(ports[1]) }, child };
}

type Call = () => Promise<number>;

function variants(baseUrl: string): Record<Key, Call> {
  const url = `${baseUrl}/v2/businesses/${BUSINESS_ID}/chats/new`;
  const body = { context: { type: 'ORDER' as const, id: ORDER_ID } };

  const plainFetch: Call = async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Api-Key': API_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`plain fetch: HTTP ${res.status}`);
    const json = (await res.json()) as { result?: { chatId?: number } };
    return json.result?.chatId ?? 0;
  };

  const bare = createClient<paths>({ baseUrl, headers: { 'Api-Key': API_KEY } });
  const bareOpenapiFetch: Call = async () => {
    const { data, error, response } = await bare.POST('/v2/businesses/{businessId}/chats/new', {
      params: { path: { businessId: BUSINESS_ID } },
      body,
    });
    if (error !== undefined || data === undefined) throw new Error(`openapi-fetch: HTTP ${response.status}`);
    return data.result?.chatId ?? 0;
  };

  const market = createMarketClient({ apiKey: API_KEY, baseUrl });
  const marketClient: Call = async () => {
    const { chatId } = await market.createChat({ businessId: BUSINESS_ID, context: body.context });
    return chatId;
  };

  return { a: plainFetch, b: bareOpenapiFetch, c: marketClient };
}

/** `calls` sequential calls; returns each call's duration and this process's CPU time per call, in µs. */
async function sequential(call: Call, calls: number): Promise<{ times: number[]; cpuPerCall: number }> {
  const times: number[] = new Array(calls);
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    const chatId = await call();
    times[i] = (performance.now() - t) * 1000;
    if (chatId !== EXPECTED_CHAT_ID) throw new Error(`unexpected chatId ${chatId}`);
  }
  const { user, system } = process.cpuUsage(cpu);
  return { times, cpuPerCall: (user + system) / calls };
}

/** `calls` calls spread over `CONCURRENCY` workers; returns the wall time per call in µs. */
async function concurrent(call: Call, calls: number): Promise<number> {
  let left = calls;
  const worker = async () => {
    while (left-- > 0) {
      if ((await call()) !== EXPECTED_CHAT_ID) throw new Error('unexpected chatId');
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return ((performance.now() - t) * 1000) / calls;
}

export interface Samples {
  seq: Record<Key, number[]>; // every sequential call, µs
  seqRoundMedian: Record<Key, number[]>; // median per round, µs
  cpu: Record<Key, number[]>; // this process's CPU time per call per round (the server is another process), µs
  conc: Record<Key, number[]>; // per-call wall time per round, µs
}

export interface HttpSettings {
  warmupCalls: number;
  callsPerBatch: number;
  minRounds: number;
  maxRounds: number;
  timeBudgetMs: number;
}

const emptySamples = (): Samples => ({
  seq: { a: [], b: [], c: [] },
  seqRoundMedian: { a: [], b: [], c: [] },
  cpu: { a: [], b: [], c: [] },
  conc: { a: [], b: [], c: [] },
});

/**
 * Rounds of one batch per variant and kind of answer, sequential then concurrent; the order of the six
 * batches rotates each round so that drift in machine load affects each alike.
 */
export async function runHttp(
  baseUrls: Record<Kind, string>,
  settings: HttpSettings,
): Promise<{ samples: Record<Kind, Samples>; rounds: number }> {
  const calls = { length: variants(baseUrls.length), gzip: variants(baseUrls.gzip) };
  const batches = KINDS.flatMap((kind) => KEYS.map((key) => ({ kind, key, call: calls[kind][key] })));
  for (const { call } of batches) {
    await sequential(call, settings.warmupCalls);
    await concurrent(call, settings.warmupCalls / 2);
  }
  const samples = { length: emptySamples(), gzip: emptySamples() };
  const started = performance.now();
  let rounds = 0;
  while (
    rounds < settings.maxRounds &&
    (rounds < settings.minRounds || performance.now() - started < settings.timeBudgetMs)
  ) {
    const order = batches.map((_, i) => batches[(i + rounds) % batches.length] as (typeof batches)[number]);
    for (const { kind, key, call } of order) {
      gc();
      const { times, cpuPerCall } = await sequential(call, settings.callsPerBatch);
      samples[kind].seq[key].push(...times);
      samples[kind].seqRoundMedian[key].push(median(times));
      samples[kind].cpu[key].push(cpuPerCall);
    }
    for (const { kind, key, call } of order) {
      gc();
      samples[kind].conc[key].push(await concurrent(call, settings.callsPerBatch));
    }
    rounds++;
  }
  return { samples, rounds };
}
