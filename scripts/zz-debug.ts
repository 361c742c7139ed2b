import { createMarketClient } from '../src/index.ts';
import { startQuotaServer } from './bench/quota-server.ts';

const server = await startQuotaServer({});
const t0 = Date.now();
const m = createMarketClient({
  apiKey: 'k',
  baseUrl: (server as any).baseUrl ?? (server as any).url,
  hooks: {
    onHeld: (e) => console.log(Date.now() - t0, 'held', e.reason, e.delayMs),
    onResponse: (e) => {
      console.log(
        Date.now() - t0,
        'resp',
        e.attempt,
        e.status,
        e.headers['x-ratelimit-resource-remaining'],
        e.headers['x-ratelimit-resource-until'],
        e.headers['date'],
      );
    },
  },
});
const wait = 2000 - (Date.now() % 2000);
await new Promise((r) => setTimeout(r, wait));
const s = Date.now();
await Promise.allSettled(
  Array.from({ length: 40 }, (_, i) =>
    m.createChat({ businessId: 1, context: { type: 'ORDER', id: i + 1 } }),
  ),
);
console.log('wall', Date.now() - s, m.limits(1));
await (server as any).close?.();
await (server as any).stop?.();
