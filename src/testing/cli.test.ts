// The `yandex-market-chats` command, run as a child (by its pid, loopback only): `mock` serves until
// SIGTERM, `check-notifications` exits 0 against the library handler and 1 against a wrong one.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { createNotificationHandler, toNodeListener } from '../notifications/index.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => stdout };
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

it('mock serves the API on the given loopback port until SIGTERM', async () => {
  const run = runCli(['mock', '--port', '0', '--host', '127.0.0.1']);
  try {
    await expect.poll(run.output, { timeout: 15_000 }).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(run.output())?.[1];
    const response = await fetch(`${url}/v2/businesses/1/chats/new`, {
      method: 'POST',
      headers: { 'api-key': 'k', 'content-type': 'application/json' },
      body: '{"context":{"type":"ORDER","id":1}}',
    });
    expect(await response.json()).toEqual({ status: 'OK', result: { chatId: 1001 } });
  } finally {
    if (run.child.pid !== undefined) process.kill(run.child.pid, 'SIGTERM');
  }
  expect(await run.exited).toBe(0);
});

it('check-notifications exits 0 against the library handler, 1 against a wrong answer', async () => {
  const handler = toNodeListener(createNotificationHandler({ name: 'shop', version: '1', on: {} }));
  let wrong = false;
  server = createServer((request, response) => {
    if (!wrong) return void handler(request, response);
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end('{"error":"nope"}');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notification`;
  const good = runCli(['check-notifications', url]);
  expect(await good.exited).toBe(0);
  expect(good.output()).toMatch(/all \d+ cases ok/);
  wrong = true;
  const bad = runCli(['check-notifications', url]);
  expect(await bad.exited).toBe(1);
  expect(bad.output()).toMatch(/FAIL: expected 200, got 400/);
});
