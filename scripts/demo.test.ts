// `npm start` (scripts/demo.ts) as a new user runs it: the mock tour passes, and a broken step or an
// incomplete live configuration fails with exit code 1 and a message naming it. No network beyond loopback.
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { describe, expect, it } from 'vitest';
import { run } from './lib/child.ts';
import { readLiveConfig } from './lib/demo-live-config.ts';

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

  // What a failed step does (exit 1, `demo FAILED: ...` on stderr) is the test above; this is the check itself.
  it('names what is missing in an incomplete live configuration, before any request', () => {
    expect(readLiveConfig({})).toBeUndefined();
    expect(() => readLiveConfig({ MARKET_API_KEY: 'some-key', MARKET_ORDER_ID: 'x' })).toThrow(
      expect.objectContaining({
        name: 'Error',
        message: expect.stringMatching(
          /MARKET_BUSINESS_ID is not set[\s\S]*MARKET_ORDER_ID must be a positive integer, got "x"/,
        ),
      }),
    );
    expect(
      readLiveConfig({
        MARKET_OAUTH_TOKEN: 't',
        MARKET_BUSINESS_ID: '5',
        MARKET_ORDER_ID: '7',
        MARKET_BASE_URL: ' ',
      }),
    ).toEqual({ credential: { oauthToken: 't' }, businessId: 5, orderId: 7, baseUrl: undefined });
  });
});
