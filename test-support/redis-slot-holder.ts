// A replica that takes all 4 slots of a business and keeps them until it is killed (src/redis/store.test.ts).
// argv: redis URL, businessId, leaseMs. Says `held` once it holds them.
import { createRedisStore } from '../src/redis/index.ts';

const [url = '', businessId = '0', leaseMs = '1000'] = process.argv.slice(2);
const store = createRedisStore({ url, prefix: 't:', leaseMs: Number(leaseMs) });
for (let i = 0; i < 4; i++) {
  const entry = await store.limits.enter(Number(businessId), 'createChat', undefined, 5_000, Error);
  if (entry === undefined || !('slot' in entry)) throw new Error('no slot');
}
process.stdout.write('held\n');
setInterval(() => {}, 1_000); // runs (renewing its leases) until killed
