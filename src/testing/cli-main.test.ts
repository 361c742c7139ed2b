// The command's logic in-process (cli.test.ts runs the real process): exit codes, what it prints, and the
// mock it serves until told to stop.
import { EventEmitter } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotificationHandler, toNodeListener } from '../notifications/index.ts';
import { processIo, runCommand, USAGE } from './cli-main.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  return {
    out,
    err,
    stop: () => stop(),
    io: {
      out: (l: string) => void out.push(l),
      err: (l: string) => void err.push(l),
      stopped: () => stopped,
    },
  };
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(listener: RequestListener): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/notification`;
}

describe('misuse exits 2 with a message on stderr, nothing on stdout', () => {
  it.each([
    [[], USAGE],
    [['serve'], USAGE],
    [['mock', '--port', 'x'], '--port must be a port number (0-65535), got x'],
    [['mock', '--port', '65536'], '--port must be a port number (0-65535), got 65536'],
    [['mock', '--port=-1'], '--port must be a port number (0-65535), got -1'],
    [['mock', '--port', '1.5'], '--port must be a port number (0-65535), got 1.5'],
    [['check-notifications'], `check-notifications needs the endpoint's URL\n${USAGE}`],
    [['check-notifications', 'not a url'], `check-notifications needs the endpoint's URL\n${USAGE}`],
  ])('%j', async (argv, message) => {
    const run = io();
    expect(await runCommand(argv, run.io)).toBe(2);
    expect(run.err).toEqual([message]);
    expect(run.out).toEqual([]);
  });

  it('an unknown option is named', async () => {
    const run = io();
    expect(await runCommand(['mock', '--verbose'], run.io)).toBe(2);
    expect(run.err.join('\n')).toMatch(/--verbose/);
  });
});

describe('mock', () => {
  it('serves on the given host and port until stopped, then closes', async () => {
    const run = io();
    const exited = runCommand(['mock', '--port', '0', '--host', '127.0.0.1'], run.io);
    await expect.poll(() => run.out.length).toBe(1);
    const url = /^mock Market API listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(run.out[0] ?? '')?.[1];
    expect(url).toBeDefined();
    const response = await fetch(`${url}/v2/businesses/1/chats/new`, {
      method: 'POST',
      headers: { 'api-key': 'k', 'content-type': 'application/json' },
      body: '{"context":{"type":"ORDER","id":1}}',
    });
    expect(response.status).toBe(200);
    run.stop();
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/v2/businesses/1/chats/new`, { method: 'POST' })).rejects.toThrow();
    expect(run.err).toEqual([]);
  });

  it('without --port takes a free port on loopback', async () => {
    const run = io();
    const exited = runCommand(['mock'], run.io);
    await expect.poll(() => run.out.length).toBe(1);
    expect(run.out[0]).toMatch(/^mock Market API listening on http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    run.stop();
    expect(await exited).toBe(0);
  });
});

describe('check-notifications', () => {
  it('exits 0 and prints the table and a summary against the library handler', async () => {
    const url = await serve(
      toNodeListener(createNotificationHandler({ name: 'shop', version: '1', on: {} })),
    );
    const run = io();
    expect(await runCommand(['check-notifications', url], run.io)).toBe(0);
    expect(run.out[0]).toMatch(/^case +expected +got +result\n/);
    expect(run.out[1]).toMatch(/^\nall \d+ cases ok$/);
    expect(run.err).toEqual([]);
  });

  it('exits 1 and counts the failed cases against a wrong answer', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end('{"error":"nope"}');
    });
    const run = io();
    expect(await runCommand(['check-notifications', url], run.io)).toBe(1);
    const [, total] = /^\n(\d+) of (\d+) cases FAILED$/.exec(run.out[1] ?? '') ?? [];
    expect(Number(total)).toBeGreaterThan(0);
    expect(run.out[1]).toBe(`\n${total} of ${total} cases FAILED`);
    expect(run.out[0]).toMatch(/chatCreated: the spec's example +200 +400 +FAIL: expected 200, got 400/);
  });
});

describe('processIo', () => {
  it('writes lines to the console: out to log, err to error', () => {
    const lines: string[] = [];
    const io = processIo(new EventEmitter(), {
      log: (line: string) => void lines.push(`log ${line}`),
      error: (line: string) => void lines.push(`error ${line}`),
    });
    io.out('a');
    io.err('b');
    expect(lines).toEqual(['log a', 'error b']);
  });

  it.each(['SIGINT', 'SIGTERM'])('stops serving on %s, not before', async (signal) => {
    const signals = new EventEmitter();
    let stopped = false;
    void processIo(signals, console)
      .stopped()
      .then(() => (stopped = true));
    signals.emit('SIGHUP');
    await new Promise(setImmediate);
    expect(stopped).toBe(false);
    signals.emit(signal);
    await new Promise(setImmediate);
    expect(stopped).toBe(true);
  });
});
