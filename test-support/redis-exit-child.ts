// A process with a Redis store whose Redis is down (or never was): it must exit once its calls settle and
// the store is closed (src/redis/store.test.ts). argv: redis URL.
import { createMarketClient } from '../src/index.ts';
import { createRedisStore } from '../src/redis/index.ts';

const store = createRedisStore({ url: process.argv[2] ?? '', onError: () => {} });
const fetch = async () =>
  new Response(JSON.stringify({ status: 'OK', result: { chatId: 1 } }), {
    headers: { 'Content-Type': 'application/json' },
  });
const market = createMarketClient({
  apiKey: 'k',
  baseUrl: 'http://127.0.0.1:9',
  fetch,
  sharedLimits: store.limits,
});
await market.createChat({ businessId: 1, context: { type: 'ORDER', id: 1 } });
await store.close();
process.stdout.write('closed\n');
