import { startQuotaServer } from './bench/quota-server.ts';

for (const serviceMs of [1, 10, 40]) {
  const server = await startQuotaServer({ quota: 10000, serviceMs });
  const url = `${server.baseUrl}/v2/businesses/1/chats/new`;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'Api-Key': 'k', 'Content-Type': 'application/json' },
      body: '{"context":{"type":"ORDER","id":1}}',
    });
    await r.json();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(serviceMs, times.map((x) => x.toFixed(1)).join(' '));
  await server.close();
}
process.exit(0);
