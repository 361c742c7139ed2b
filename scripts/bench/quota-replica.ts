// One replica of `npm run bench:quota -- --replicas`: a process with its own client (and its own Redis
// store, if REDIS_URL is set). It says `ready` on stdout, waits for `go` on stdin, fires its share of the
// burst, then prints one JSON line: {succeeded, failures: {class: count}} and exits.
// argv: baseUrl businessId firstIndex count deadlineMs
import { createInterface } from 'node:readline';
import { createMarketClient, type MarketClientOptions } from '../../src/index.ts';
import { createRedisStore } from '../../src/redis/index.ts';

const [baseUrl = '', business = '0', first = '0', count = '0', deadline = '60000'] = process.argv.slice(2);
const redisUrl = process.env.REDIS_URL;
const store = redisUrl ? createRedisStore({ url: redisUrl, prefix: 'bench:', onError: () => {} }) : undefined;
const options: MarketClientOptions = { apiKey: 'bench-api-key', baseUrl };
if (store !== undefined) options.sharedLimits = store.limits;
const client = createMarketClient(options);
// Warm: the first call compiles the client's code and opens the connections (its own business).
await client
  .createChat({ businessId: Number(business) + 1, context: { type: 'ORDER', id: 1 } })
  .catch(() => {});
if (store !== undefined) {
  const entry = await store.limits.enter(Number(business) + 1, 'warmUp', undefined, 1000, Error);
  if (entry !== undefined && 'slot' in entry) entry.slot.release();
}

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) if (line.trim() === 'go') break;

const signal = AbortSignal.timeout(Number(deadline));
const settled = await Promise.allSettled(
  Array.from({ length: Number(count) }, (_, i) =>
    client.createChat(
      { businessId: Number(business), context: { type: 'ORDER', id: 5_000_000_000 + Number(first) + i } },
      { signal },
    ),
  ),
);
const failures: Record<string, number> = {};
let succeeded = 0;
for (const outcome of settled) {
  if (outcome.status === 'fulfilled') succeeded++;
  else {
    const name = outcome.reason instanceof Error ? outcome.reason.name : String(outcome.reason);
    failures[name] = (failures[name] ?? 0) + 1;
  }
}
process.stdout.write(`${JSON.stringify({ succeeded, failures })}\n`);
lines.close();
await store?.close();
