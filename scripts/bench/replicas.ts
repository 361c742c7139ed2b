// `npm run bench:quota`'s replica scenarios (issue 16): R processes (scripts/bench/quota-replica.ts), each
// with its own client, optionally sharing limits through a redis-server of the bench's own; a start
// barrier once all are ready (and a window opens), then the burst, N calls split among them.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RedisServer } from '../../test-support/redis-server.ts';
import { startQuotaServer } from './quota-server.ts';
import { BENCH_LIMITS, idealMs } from './quota-targets.ts';

const REPLICA = fileURLToPath(new URL('./quota-replica.ts', import.meta.url));
const BUSINESS_ID = 223344;

export interface ReplicaFigures {
  succeeded: number;
  failed: number;
  failures: Record<string, number>;
  refused: number;
  wallMs: number;
}

/** `redis`: share limits through it; `killAtMs`: SIGKILL it that long into the burst (restarted after). */
export async function runReplicas(
  replicas: number,
  calls: number,
  redis: RedisServer | undefined,
  killAtMs?: number,
): Promise<ReplicaFigures> {
  const server = await startQuotaServer(BENCH_LIMITS);
  const children: ChildProcess[] = [];
  try {
    const deadlineMs = 3 * idealMs(calls) + 15_000;
    const lines: AsyncIterator<string>[] = [];
    for (let r = 0; r < replicas; r++) {
      const first = Math.floor((calls * r) / replicas);
      const count = Math.floor((calls * (r + 1)) / replicas) - first;
      const env = { ...process.env, REDIS_URL: redis?.url ?? '' };
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          REPLICA,
          server.baseUrl,
          String(BUSINESS_ID),
          String(first),
          String(count),
          String(deadlineMs),
        ],
        { env, stdio: ['pipe', 'pipe', 'inherit'] },
      );
      children.push(child);
      lines.push(createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]());
    }
    for (const line of lines) {
      const first = await line.next();
      if (first.value !== 'ready') throw new Error(`a replica said ${String(first.value)} instead of ready`);
    }
    const before = server.counts();
    await new Promise((resolve) => setTimeout(resolve, server.nextWindowAt() - Date.now()));
    const started = performance.now();
    for (const child of children) child.stdin?.write('go\n');
    const killer =
      killAtMs === undefined || redis === undefined
        ? undefined
        : setTimeout(() => void redis.kill(), killAtMs);
    const results = await Promise.all(lines.map((line) => line.next()));
    const wallMs = performance.now() - started;
    clearTimeout(killer);
    const after = server.counts();
    const figures: ReplicaFigures = { succeeded: 0, failed: 0, failures: {}, refused: 0, wallMs };
    for (const result of results) {
      const { succeeded, failures } = JSON.parse(String(result.value)) as {
        succeeded: number;
        failures: Record<string, number>;
      };
      figures.succeeded += succeeded;
      for (const [name, count] of Object.entries(failures)) {
        figures.failures[name] = (figures.failures[name] ?? 0) + count;
        figures.failed += count;
      }
    }
    figures.refused =
      after.parallelRejected + after.quotaRejected - before.parallelRejected - before.quotaRejected;
    return figures;
  } finally {
    for (const child of children) {
      child.stdin?.end();
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    }
    if (killAtMs !== undefined && redis !== undefined && redis.pid === undefined) await redis.restart();
    await server.close();
  }
}
