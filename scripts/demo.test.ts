// `npm start` (scripts/demo.ts) as a new user runs it: the mock tour passes, and a broken step or an
// incomplete live configuration fails with exit code 1 and a message naming it. No network beyond loopback.
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { describe, expect, it } from 'vitest';
import { run } from './lib/child.ts';

/** A loopback port nothing listens on (get-port found it free). */
function closedPort(): Promise<number> {
  return getPort({ host: '127.0.0.1' });
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function demo(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('MARKET_')),
  );
  const command = ['--import', 'tsx', 'scripts/demo.ts', ...args];
  return run(process.execPath, command, ROOT, { ...clean, ...env }, 60_000);
}

describe.concurrent('npm start', () => {
  it('tours the client against the Prism mock and exits 0', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await demo([]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('chatId 987654321');
    expect(stdout).toMatch(/rate limit: \d+ of \d+ calls left/);
    expect(stdout).toMatch(/held \d+ ms \(parallel-limit\); not a retry/);
    expect(stdout).toContain('sent again, chatId 987654321 on request 2');
    expect(stdout).toContain('sent: packing-list.txt');
    expect(stdout).toContain(
      'DeliveryUnknownError after 1 request: sendMessageToChat: may or may not have been delivered',
    );
    expect(stdout).toMatch(/about ORDER 5123456789, [1-9]\d* messages:/);
    expect(stdout).toContain('mock stopped; all steps passed');
  });

  it('fails with exit code 1, naming the step, when the client cannot reach the server', {
    timeout: 60_000,
  }, async () => {
    const { code, stderr } = await demo(['--base-url', `http://127.0.0.1:${await closedPort()}`]);
    expect(code).toBe(1);
    expect(stderr).toContain('demo FAILED: step "createChat (ORDER)" failed: ConnectionError');
  });

  // No Prism here, but starting tsx alone can take over 5 s while the other test files run.
  it('names what is missing in an incomplete live configuration, without any request', {
    timeout: 60_000,
  }, async () => {
    const { code, stdout, stderr } = await demo([], { MARKET_API_KEY: 'some-key', MARKET_ORDER_ID: 'x' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('MARKET_BUSINESS_ID is not set');
    expect(stderr).toContain('MARKET_ORDER_ID must be a positive integer, got "x"');
  });
});
