// `npm run bench:quota`: how the client lives within Yandex's limits (issue 8). A measurement, not a test.
//
// Each scenario starts a fresh loopback imitation of the limits (scripts/bench/quota-server.ts: 4 requests
// in flight per business, 40 calls per 2 s window, 40 ms a request) and fresh clients with default options
// (only baseUrl and apiKey), waits until a window opens, then fires a burst of createChat calls for one
// business at once (calls split round-robin among the clients) and waits for all of them to settle.
// Prints per scenario: succeeded, failed (by error class), wasted (420) requests, wall and ideal time,
// and PASS/FAIL against the targets (scripts/bench/quota-targets.ts).
//
// A few warm-up calls (throwaway client and server) come first. Exits 0 whatever the figures; `--check` exits 1 on a missed target. `--quick` runs the 1x bursts only.
// Every call has a deadline (3x ideal + 15 s), so the run ends even against a client that waits forever.
import { createMarketClient } from '../src/index.ts';
import { type QuotaServer, startQuotaServer } from './bench/quota-server.ts';
import { BENCH_LIMITS, idealMs, missedTargets } from './bench/quota-targets.ts';
import { fmt } from './bench/stats.ts';

const KNOWN_ARGS = ['--check', '--quick', '--help'];
const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!KNOWN_ARGS.includes(arg)) {
    console.error(`bench:quota: unknown argument ${arg} (known: ${KNOWN_ARGS.join(', ')})`);
    process.exit(2);
  }
}
if (args.has('--help')) {
  console.log('usage: npm run bench:quota [-- --check] [-- --quick]');
  process.exit(0);
}

const BUSINESS_ID = 123456;
const SCENARIOS = [
  { clients: 1, calls: 40 },
  { clients: 1, calls: 200 },
  { clients: 3, calls: 40 },
  { clients: 3, calls: 200 },
].filter((s) => !args.has('--quick') || s.calls === BENCH_LIMITS.quota);

/** The bench's own abort reason, told apart from the client's errors. */
class BenchDeadline extends Error {
  override name = 'BenchDeadline';
}

interface Figures {
  succeeded: number;
  failures: Map<string, number>; // error class -> count
  admitted: number;
  parallelRejected: number;
  quotaRejected: number;
  wallMs: number;
}

/**
 * A few calls through a throwaway client against a throwaway server, so that the first scenario does not
 * time Node loading its fetch (about 100 ms on first use) or the client's code being compiled.
 */
async function warmUp(): Promise<void> {
  const server = await startQuotaServer(BENCH_LIMITS);
  try {
    const client = createMarketClient({ apiKey: 'bench-api-key', baseUrl: server.baseUrl });
    for (let i = 0; i < 8; i++) {
      await client.createChat({ businessId: BUSINESS_ID + 1, context: { type: 'ORDER', id: i + 1 } });
    }
  } finally {
    await server.close();
  }
}

/**
 * The best this machine does: plain fetch, `maxInFlight` at a time, one window's quota from a window's
 * start. Its excess over the ideal is loopback and timer overhead, which no client can remove.
 */
async function floorMs(): Promise<number> {
  const server = await startQuotaServer(BENCH_LIMITS);
  try {
    const url = `${server.baseUrl}/v2/businesses/${BUSINESS_ID}/chats/new`;
    const init = { method: 'POST', headers: { 'Api-Key': 'bench-api-key' }, body: '{}' };
    let left = BENCH_LIMITS.quota;
    const worker = async () => {
      while (left-- > 0) {
        const res = await fetch(url, init);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`floor: HTTP ${res.status}`);
      }
    };
    await untilWindowOpens(server);
    const started = performance.now();
    await Promise.all(Array.from({ length: BENCH_LIMITS.maxInFlight }, worker));
    return performance.now() - started;
  } finally {
    await server.close();
  }
}

function untilWindowOpens(server: QuotaServer): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, server.nextWindowAt() - Date.now()));
}

async function runScenario(clientCount: number, calls: number): Promise<Figures> {
  const server = await startQuotaServer(BENCH_LIMITS);
  const deadline = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  try {
    const clients = Array.from({ length: clientCount }, () =>
      createMarketClient({ apiKey: 'bench-api-key', baseUrl: server.baseUrl }),
    );
    await untilWindowOpens(server);

    const deadlineMs = 3 * idealMs(calls) + 15_000;
    timers.push(
      setTimeout(() => deadline.abort(new BenchDeadline('the call passed the bench deadline')), deadlineMs),
    );
    // A client that ignores its signal still may not hold the run: 5 s later its calls count as hung.
    const hung = new Promise<never>((_, reject) => {
      timers.push(
        setTimeout(() => reject(new BenchDeadline('hung past the bench deadline')), deadlineMs + 5000),
      );
    });
    hung.catch(() => {}); // rejections are read through the race below

    const started = performance.now();
    const settled = await Promise.allSettled(
      Array.from({ length: calls }, (_, i) => {
        const client = clients[i % clientCount] as (typeof clients)[number];
        const call = client.createChat(
          { businessId: BUSINESS_ID, context: { type: 'ORDER', id: 5_000_000_000 + i } },
          { signal: deadline.signal },
        );
        return Promise.race([call, hung]);
      }),
    );
    const wallMs = performance.now() - started;

    const failures = new Map<string, number>();
    let succeeded = 0;
    for (const outcome of settled) {
      if (outcome.status === 'fulfilled' && typeof outcome.value.chatId === 'number') {
        succeeded++;
        continue;
      }
      const reason = outcome.status === 'rejected' ? outcome.reason : 'a result without chatId';
      const name = reason instanceof Error ? reason.name : String(reason);
      failures.set(name, (failures.get(name) ?? 0) + 1);
    }
    return { succeeded, failures, ...server.counts(), wallMs };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await server.close();
  }
}

async function main(): Promise<number> {
  const { quota, windowMs, serviceMs, maxInFlight } = BENCH_LIMITS;
  console.log(
    `bench:quota: node ${process.version}; loopback server: ${maxInFlight} in flight per business, ` +
      `${quota} calls per ${windowMs / 1000} s window (aligned to whole seconds), ${serviceMs} ms a request`,
  );
  console.log(
    'ideal = (ceil(N / 40) - 1) * 2000 + ceil(last / 4) * 40 ms, last = the calls of the final window\n',
  );
  await warmUp();
  const floor = await floorMs();
  console.log(
    `floor on this machine: plain fetch, ${maxInFlight} at a time, ${quota} calls: ${fmt(floor, 0)} ms = ` +
      `${fmt(floor / idealMs(quota), 2)}x ideal (loopback and timer overhead, not the client)\n`,
  );
  const header = [
    'succeeded',
    'failed',
    'wasted',
    '(parallel',
    'quota)',
    'wall ms',
    'ideal ms',
    'wall/ideal',
  ];
  console.log(`${'scenario'.padEnd(28)}${header.map((h) => h.padStart(11)).join('')}  verdict`);

  let missedAny = false;
  for (const { clients, calls } of SCENARIOS) {
    const label = `${clients} client${clients > 1 ? 's' : ''}, ${calls} calls (${calls / quota}x)`;
    const f = await runScenario(clients, calls);
    const failed = calls - f.succeeded;
    const wasted = f.parallelRejected + f.quotaRejected;
    const ideal = idealMs(calls);
    const missed = missedTargets({ clients, calls, failed, wasted, wallMs: f.wallMs });
    missedAny ||= missed !== undefined && missed.length > 0;
    const cells = [f.succeeded, failed, wasted, f.parallelRejected, f.quotaRejected].map(String);
    cells.push(fmt(f.wallMs, 0), String(ideal), fmt(f.wallMs / ideal, 2));
    const verdict =
      missed === undefined ? '(no target)' : missed.length === 0 ? 'PASS' : `FAIL (${missed.join(', ')})`;
    console.log(`${label.padEnd(28)}${cells.map((c) => c.padStart(11)).join('')}  ${verdict}`);
    if (f.failures.size > 0) {
      const classes = [...f.failures].map(([name, count]) => `${name} ${count}`).join(', ');
      console.log(`${''.padEnd(28)}failed by class: ${classes}`);
    }
    if (f.admitted !== f.succeeded) {
      console.log(
        `${''.padEnd(28)}note: the server admitted ${f.admitted} requests for ${f.succeeded} successes`,
      );
    }
  }
  console.log(
    '\ntargets: one client, 5x: 0 failed, at most 1 wasted per window, wall <= 1.15x ideal; ' +
      'three clients sharing nothing: 0 failed, wasted <= 25 % of the calls, wall <= 1.5x ideal',
  );
  console.log(`result: ${missedAny ? 'targets missed' : 'all targets met'}`);
  return args.has('--check') && missedAny ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench:quota crashed:', error);
    process.exit(2);
  },
);
