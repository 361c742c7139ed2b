// The `yandex-market-chats` command, run once as a child (by its pid, loopback only): the bin starts, serves
// the mock and stops on SIGTERM with exit 0. What the commands print and their exit codes (0, 1, 2) are
// tested in-process in cli-main.test.ts; a spawn costs seconds.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

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
