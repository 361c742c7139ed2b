// `npm run bench`: how much the client costs on top of what it wraps. A script, not a test.
//
//  1. Per-call time of createChat against a local keep-alive HTTP server on 127.0.0.1 (a child process,
//     so it does not compete with the clients for this event loop), through
//       (a) plain fetch, building the same request by hand,
//       (b) bare openapi-fetch `createClient<paths>` with the generated types,
//       (c) createMarketClient (this library),
//     on two kinds of answer: with a Content-Length, and gzip + chunked without one (what a compressing
//     front end sends, the common case in production), all six interleaved in rounds (the order rotates
//     each round) so that drift affects each alike (scripts/bench/http.ts).
//  2. The client's minified + gzipped bundle size, openapi-fetch included (esbuild, ESM, neutral platform).
//  3. The time to import that bundle in a fresh node process, next to bare openapi-fetch.
//  4. The time the Redis store adds per call (`sharedLimits`, a redis-server of its own on 127.0.0.1),
//     when nothing waits: sequential calls with and without the store, interleaved.
//
// Prints the figures, the load average, and PASS/FAIL against the targets (c/b <= 1.05 on each kind of
// answer, bundle <= 17 KB). Exits 0 unless something crashed; `--strict` exits 1 on a missed target.
// `--quick` runs fewer, shorter rounds.
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { createMarketClient } from '../src/index.ts';
import { createRedisStore } from '../src/redis/index.ts';
import { hasRedisServer, INSTALL_HINT, startRedisServer } from '../test-support/redis-server.ts';
import { bundle, importTimes } from './bench/bundle.ts';
import {
  API_KEY,
  BUSINESS_ID,
  KEYS,
  type Key,
  KIND_LABELS,
  KINDS,
  LABELS,
  ORDER_ID,
  runHttp,
  startServer,
} from './bench/http.ts';
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

const TARGET_RATIO = 1.05;
const TARGET_GZIP_BYTES = 17 * 1024;
const HTTP = {
  warmupCalls: quick ? 300 : 2_000,
  callsPerBatch: quick ? 200 : 300,
  minRounds: 3,
  maxRounds: quick ? 5 : 30,
  timeBudgetMs: quick ? 10_000 : 60_000, // for the HTTP rounds; the loop also stops at maxRounds
};
const IMPORT_RUNS = quick ? 5 : 15;

/** The median of the per-round ratios, and their interquartile range (how noisy the rounds were). */
function ratios(num: readonly number[], den: readonly number[]): { median: number; iqr: string } {
  const each = num.map((n, i) => n / (den[i] as number));
  return { median: median(each), iqr: `${fmt(percentile(each, 25), 2)}-${fmt(percentile(each, 75), 2)}` };
}

function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}

const signed = (value: number) => `${value >= 0 ? '+' : ''}${fmt(value)}`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;

async function main(): Promise<number> {
  console.log(
    `bench: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown cpu'}), ${process.platform}/${process.arch}${quick ? ', --quick' : ''}, load average ${loadavg()
      .map((x) => fmt(x, 2))
      .join(', ')}`,
  );

  // 1. HTTP round trips.
  const { baseUrls, child } = await startServer();
  let http: Awaited<ReturnType<typeof runHttp>>;
  try {
    http = await runHttp(baseUrls, HTTP);
  } finally {
    child.stdin?.end();
    child.kill();
    await once(child, 'exit').catch(() => {});
  }
  const { samples, rounds } = http;
  console.log(
    `\ncreateChat against a keep-alive server on 127.0.0.1 (child process): ${rounds} rounds x ${HTTP.callsPerBatch} calls per variant and kind of answer, after ${HTTP.warmupCalls} warm-up calls`,
  );
  const row = (label: string, cells: readonly string[], width = 10) =>
    console.log(`  ${label.padEnd(26)}${cells.map((cell) => cell.padStart(width)).join('')}`.trimEnd());
  const cb = {} as Record<(typeof KINDS)[number], number>;
  for (const kind of KINDS) {
    const s = samples[kind];
    console.log(`\n answers with ${KIND_LABELS[kind]}`);
    row('per call, µs', ['median', 'mean', 'p90', 'CPU', '  | conc. 4']);
    for (const key of KEYS) {
      const cells = [median(s.seq[key]), mean(s.seq[key]), percentile(s.seq[key], 90), median(s.cpu[key])];
      row(`(${key}) ${LABELS[key]}`, [
        ...cells.map((x) => fmt(x)),
        `  | ${fmt(median(s.conc[key])).padStart(7)}`,
      ]);
    }
    cb[kind] = ratios(s.seqRoundMedian.c, s.seqRoundMedian.b).median;
    row('ratios, median (IQR)', ['sequential', 'CPU', 'conc. 4'], 19);
    for (const [x, y] of [
      ['c', 'b'],
      ['c', 'a'],
      ['b', 'a'],
    ] as ReadonlyArray<[Key, Key]>) {
      const cells = [
        ratios(s.seqRoundMedian[x], s.seqRoundMedian[y]),
        ratios(s.cpu[x], s.cpu[y]),
        ratios(s.conc[x], s.conc[y]),
      ].map((r) => `${fmt(r.median, 3)} (${r.iqr})`);
      const target =
        x === 'c' && y === 'b' ? `  target <= ${TARGET_RATIO}: ${verdict(cb[kind] <= TARGET_RATIO)}` : '';
      row(`${x}/${y}`, [...cells, target], 19);
    }
    console.log(
      `  createMarketClient over openapi-fetch: ${signed(median(s.seq.c) - median(s.seq.b))} µs wall, ` +
        `${signed(median(s.cpu.c) - median(s.cpu.b))} µs CPU per call`,
    );
  }
  console.log(
    '  (sequential calls: wall time; CPU: of this process, the server is another; conc. 4: wall time per call\n' +
      '   with 4 calls in flight)',
  );
  console.log(
    `  load average (1, 5, 15 min) at the end: ${loadavg()
      .map((x) => fmt(x, 2))
      .join(', ')}`,
  );

  // 2. Bundle size.
  const client = await bundle({ entry: 'src/index.ts' });
  const bare = await bundle({
    contents: "export * from 'openapi-fetch';\nexport { default } from 'openapi-fetch';\n",
  });
  console.log('\nbundle (esbuild: ESM, minified, platform neutral, es2022; gzip -9)');
  console.log(
    `  client (src/index.ts + openapi-fetch): ${client.minBytes} B min, ${client.gzipBytes} B gzip = ${kb(client.gzipBytes)}  (target <= 17 KB: ${verdict(client.gzipBytes <= TARGET_GZIP_BYTES)})`,
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
    ...KINDS.filter((kind) => cb[kind] > TARGET_RATIO).map((kind) => `c/b on ${KIND_LABELS[kind]}`),
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
  const { baseUrls, child } = await startServer();
  const baseUrl = baseUrls.length;
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
