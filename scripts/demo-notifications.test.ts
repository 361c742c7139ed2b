// `npm run demo:notifications` runs the receive-and-reply loop on loopback and exits 0, printing each step.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './lib/child.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('npm run demo:notifications', () => {
  it('answers the customer only, drops the duplicate, refuses the broken one and exits 0', {
    timeout: 90_000,
  }, async () => {
    const command = ['--import', 'tsx', 'scripts/demo-notifications.ts'];
    const { code, stdout, stderr } = await run(process.execPath, command, ROOT, process.env, 90_000);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/3\. Yandex checks the endpoint: PING\n {6}HTTP 200 \{"version":"0\.1\.0"/);
    expect(stdout).toContain('message 5123456001 is from CUSTOMER: replied');
    expect(stdout).toContain('message 5123456002 is from PARTNER: no reply');
    expect(stdout.match(/sendMessageToChat/g)).toHaveLength(1);
    expect(stdout).toContain('duplicate dropped: CHAT_MESSAGE_SENT 123456/987654321/5123456001');
    expect(stdout).toContain(
      'HTTP 400 {"error":{"type":"WRONG_EVENT_FORMAT","message":"chatId is required"}}',
    );
    expect(stdout).toContain('handler and mock stopped; all steps passed');
  });
});
