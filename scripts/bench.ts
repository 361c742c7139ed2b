// `npm run bench`: how much the client costs on top of what it wraps. A script, not a test.
//
//  1. Per-call time of createChat against a local keep-alive HTTP server on 127.0.0.1 (a child process,
//     so it does not compete with the clients for this event loop), through
//       (a) plain fetch, building the same request by hand,
//       (b) bare openapi-fetch `createClient<paths>` with the generated types,
//       (c) createMarketClient (this library),
//     interleaved in rounds (the order rotates each round) so that drift affects each alike.
//  2. The client's minified + gzipped bundle size, openapi-fetch included (esbuild, ESM, neutral platform).
//  3. The time to import that bundle in a fresh node process, next to bare openapi-fetch.
//  4. The time the Redis store adds per call (`sharedLimits`, a redis-server of its own on 127.0.0.1),
//     when nothing waits: sequential calls with and without the store, interleaved.
//
// Prints the figures and PASS/FAIL against the targets (c/b <= 1.10, bundle <= 12 KB). Exits 0 unless
// something crashed; `--strict` exits 1 on a missed target. `--quick` runs fewer, shorter rounds.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/schema.ts';
import { createMarketClient } from '../src/index.ts';
import { createRedisStore } from '../src/redis/index.ts';
import { hasRedisServer, INSTALL_HINT, startRedisServer } from '../test-support/redis-server.ts';
import { bundle, importTimes } from './bench/bundle.ts';
import { fmt, mean, median, percentile } from './bench/stats.ts';

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!['--strict', '--quick', '--help'].includes(arg)) {
    console.error(`bench: unknown argument ${arg} (known: --strict, --quick, --help)`);
    process.exit(2);
  }
}
if (args.has('--help')) {
  console.log('usage: npm run bench [-- --strict] [-- --quick]');
  process.exit(0);
}
const strict = args.has('--strict');
const quick = args.has('--quick');

const TARGET_RATIO = 1.1;
const TARGET_GZIP_BYTES = 12 * 1024;
const WARMUP_CALLS = quick ? 300 : 2_000;
const CALLS_PER_BATCH = quick ? 200 : 300;
const MIN_ROUNDS = 3;
const MAX_ROUNDS = quick ? 5 : 30;
const TIME_BUDGET_MS = quick ? 8_000 : 45_000; // for the HTTP rounds; the loop also stops at MAX_ROUNDS
const CONCURRENCY = 4;
const IMPORT_RUNS = quick ? 5 : 15;

const API_KEY = 'bench-api-key';
const BUSINESS_ID = 123456;
const ORDER_ID = 5123456789;
const EXPECTED_CHAT_ID = 987654321;

// A collectable heap between batches keeps GC pauses from landing on one variant more than another.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function startServer(): Promise<{ baseUrl: string; child: ChildProcess }> {
  const serverFile = fileURLToPath(new URL('./bench/server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', serverFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
    setTimeout(() => reject(new Error('bench server did not start within 10 s')), 10_000).unref();
  });
  const port = await ready;
  return { baseUrl: `http://127.0.0.1:${port}`, child };
}

type Call = () => Promise<number>;

function variants(baseUrl: string): Record<'a' | 'b' | 'c', { label: string; call: Call }> {
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

  return {
    a: { label: 'plain fetch', call: plainFetch },
    b: { label: 'openapi-fetch', call: bareOpenapiFetch },
    c: { label: 'createMarketClient', call: marketClient },
  };
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

type Key = 'a' | 'b' | 'c';
const KEYS: readonly Key[] = ['a', 'b', 'c'];

interface Samples {
  seq: Record<Key, number[]>; // every sequential call, µs
  seqRoundMedian: Record<Key, number[]>; // median per round, µs
  cpu: Record<Key, number[]>; // this process's CPU time per call per round (the server is another process), µs
  conc: Record<Key, number[]>; // per-call wall time per round, µs
}

async function runHttp(
  baseUrl: string,
): Promise<{ samples: Samples; rounds: number; labels: Record<Key, string> }> {
  const v = variants(baseUrl);
  for (const key of KEYS) {
    await sequential(v[key].call, WARMUP_CALLS);
    await concurrent(v[key].call, WARMUP_CALLS / 2);
  }
  const samples: Samples = {
    seq: { a: [], b: [], c: [] },
    seqRoundMedian: { a: [], b: [], c: [] },
    cpu: { a: [], b: [], c: [] },
    conc: { a: [], b: [], c: [] },
  };
  const started = performance.now();
  let rounds = 0;
  while (rounds < MAX_ROUNDS && (rounds < MIN_ROUNDS || performance.now() - started < TIME_BUDGET_MS)) {
    const order = KEYS.map((_, i) => KEYS[(i + rounds) % KEYS.length] as Key); // a,b,c / b,c,a / c,a,b
    for (const key of order) {
      gc();
      const { times, cpuPerCall } = await sequential(v[key].call, CALLS_PER_BATCH);
      samples.seq[key].push(...times);
      samples.seqRoundMedian[key].push(median(times));
      samples.cpu[key].push(cpuPerCall);
    }
    for (const key of order) {
      gc();
      samples.conc[key].push(await concurrent(v[key].call, CALLS_PER_BATCH));
    }
    rounds++;
  }
  return {
    samples,
    rounds,
    labels: { a: v.a.label, b: v.b.label, c: v.c.label },
  };
}

/** The median of the per-round ratios, and their interquartile range (how noisy the rounds were). */
function ratios(num: readonly number[], den: readonly number[]): { median: number; iqr: string } {
  const each = num.map((n, i) => n / (den[i] as number));
  return { median: median(each), iqr: `${fmt(percentile(each, 25), 2)}-${fmt(percentile(each, 75), 2)}` };
}

function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;

async function main(): Promise<number> {
  console.log(
    `bench: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown cpu'}), ${process.platform}/${process.arch}${quick ? ', --quick' : ''}`,
  );

  // 1. HTTP round trips.
  const { baseUrl, child } = await startServer();
  let http: Awaited<ReturnType<typeof runHttp>>;
  try {
    http = await runHttp(baseUrl);
  } finally {
    child.stdin?.end();
    child.kill();
    await once(child, 'exit').catch(() => {});
  }
  const { samples, rounds, labels } = http;
  console.log(
    `\ncreateChat against a keep-alive server on 127.0.0.1 (child process): ${rounds} rounds x ${CALLS_PER_BATCH} calls per variant, after ${WARMUP_CALLS} warm-up calls`,
  );
  const row = (label: string, cells: readonly string[], width = 10) =>
    console.log(`  ${label.padEnd(26)}${cells.map((cell) => cell.padStart(width)).join('')}`.trimEnd());
  row('per call, µs', ['median', 'mean', 'p90', 'CPU', '  | conc. 4']);
  for (const key of KEYS) {
    const s = samples.seq[key];
    const cells = [median(s), mean(s), percentile(s, 90), median(samples.cpu[key])].map((x) => fmt(x));
    row(`(${key}) ${labels[key]}`, [...cells, `  | ${fmt(median(samples.conc[key])).padStart(7)}`]);
  }
  console.log(
    '  (sequential calls: wall time; CPU: of this process, the server is another; conc. 4: wall time per call\n' +
      '   with 4 calls in flight)',
  );
  const cb = ratios(samples.seqRoundMedian.c, samples.seqRoundMedian.b);
  row('ratios, median (IQR)', ['sequential', 'CPU', 'conc. 4'], 19);
  for (const [x, y] of [
    ['c', 'b'],
    ['c', 'a'],
    ['b', 'a'],
  ] as const) {
    const cells = [
      ratios(samples.seqRoundMedian[x], samples.seqRoundMedian[y]),
      ratios(samples.cpu[x], samples.cpu[y]),
      ratios(samples.conc[x], samples.conc[y]),
    ].map((r) => `${fmt(r.median, 3)} (${r.iqr})`);
    const target =
      x === 'c' && y === 'b' ? `  target <= ${TARGET_RATIO}: ${verdict(cb.median <= TARGET_RATIO)}` : '';
    row(`${x}/${y}`, [...cells, target], 19);
  }
  console.log(
    `  createMarketClient over openapi-fetch: +${fmt(median(samples.seq.c) - median(samples.seq.b))} µs wall, ` +
      `+${fmt(median(samples.cpu.c) - median(samples.cpu.b))} µs CPU per call`,
  );

  // 2. Bundle size.
  const client = await bundle({ entry: 'src/index.ts' });
  const bare = await bundle({
    contents: "export * from 'openapi-fetch';\nexport { default } from 'openapi-fetch';\n",
  });
  console.log('\nbundle (esbuild: ESM, minified, platform neutral, es2022; gzip -9)');
  console.log(
    `  client (src/index.ts + openapi-fetch): ${client.minBytes} B min, ${client.gzipBytes} B gzip = ${kb(client.gzipBytes)}  (target <= 12 KB: ${verdict(client.gzipBytes <= TARGET_GZIP_BYTES)})`,
  );
  console.log(
    `  openapi-fetch alone:                   ${bare.minBytes} B min, ${bare.gzipBytes} B gzip = ${kb(bare.gzipBytes)}`,
  );

  // 3. Import time.
  const times = await importTimes({ client: client.code, 'openapi-fetch': bare.code }, IMPORT_RUNS);
  console.log(`\nimport time of those bundles (fresh node process each, median of ${IMPORT_RUNS})`);
  for (const [name, t] of Object.entries(times)) {
    console.log(
      `  ${name.padEnd(16)} await import(): ${fmt(t.importMs, 2).padStart(6)} ms   whole process: ${fmt(t.processMs, 1).padStart(6)} ms`,
    );
  }

  // 4. The Redis store.
  await redisOverhead();

  const missed = [
    cb.median > TARGET_RATIO && 'c/b',
    client.gzipBytes > TARGET_GZIP_BYTES && 'bundle size',
  ].filter(Boolean);
  console.log(`\nresult: ${missed.length === 0 ? 'all targets met' : `missed: ${missed.join(', ')}`}`);
  return strict && missed.length > 0 ? 1 : 0;
}

/** Per-call wall time with and without the Redis store (2 round trips per call when nothing waits). */
async function redisOverhead(): Promise<void> {
  if (!hasRedisServer()) {
    console.log(`\nRedis store: SKIPPED, redis-server is not on the PATH; ${INSTALL_HINT}`);
    return;
  }
  const redis = await startRedisServer();
  const { baseUrl, child } = await startServer();
  const store = createRedisStore({ url: redis.url, prefix: 'bench:' });
  try {
    const plain = createMarketClient({ apiKey: API_KEY, baseUrl });
    const shared = createMarketClient({ apiKey: API_KEY, baseUrl, sharedLimits: store.limits });
    const input = { businessId: BUSINESS_ID, context: { type: 'ORDER' as const, id: ORDER_ID } };
    const time = async (market: typeof plain, calls: number) => {
      const started = performance.now();
      for (let i = 0; i < calls; i++) await market.createChat(input);
      return ((performance.now() - started) * 1000) / calls;
    };
    await time(plain, 200);
    await time(shared, 200);
    const without: number[] = [];
    const withStore: number[] = [];
    for (let round = 0; round < (quick ? 3 : 10); round++) {
      without.push(await time(plain, 200));
      withStore.push(await time(shared, 200));
    }
    console.log(
      '\nRedis store (sharedLimits, redis-server on 127.0.0.1), sequential createChat, µs per call',
    );
    console.log(
      `  without the store: ${fmt(median(without))}   with it: ${fmt(median(withStore))}   added: +${fmt(median(withStore) - median(without))} µs per call`,
    );
  } finally {
    await store.close();
    child.stdin?.end();
    child.kill();
    await once(child, 'exit').catch(() => {});
    await redis.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench crashed:', error);
    process.exit(2);
  },
);
