// startPrism itself: it answers once resolved, stop() leaves no process and frees the port, and a Prism
// that cannot start fails with Prism's own output.
import { createServer } from 'node:net';
import { describe, it } from 'vitest';
import { startPrism } from './prism.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Each test starts its own Prism (~1-2 s of Node loading Prism): run them side by side.
describe.concurrent('startPrism', () => {
  it('answers when resolved; stop() ends the process and frees the port', async ({ expect }) => {
    const prism = await startPrism();
    try {
      expect(prism.baseUrl).toBe(`http://127.0.0.1:${prism.port}`);
      const response = await fetch(`${prism.baseUrl}/v2/businesses/1/chats/new`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ context: { type: 'ORDER', id: 1 } }),
      });
      // --errors is on by default: no credential, so Prism refuses the request, saying why.
      expect(response.status).toBe(401);
      expect(response.headers.get('sl-violations')).toMatch(/security/i);
      await response.arrayBuffer();
      expect(isAlive(prism.pid)).toBe(true);
    } finally {
      await prism.stop();
    }
    expect(isAlive(prism.pid)).toBe(false);
    expect(await canListen(prism.port)).toBe(true);
    await prism.stop(); // idempotent
  });

  it("fails with Prism's output when the spec cannot be loaded", async ({ expect }) => {
    await expect(startPrism({ spec: '/nonexistent/openapi.yaml', startTimeoutMs: 10_000 })).rejects.toThrow(
      /Prism exited[\s\S]*nonexistent\/openapi\.yaml/,
    );
  });

  it('refuses a proxy without an upstream', async ({ expect }) => {
    await expect(startPrism({ mode: 'proxy' })).rejects.toThrow(/upstream/);
  });
});
