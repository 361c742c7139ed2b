// Starts and stops a Prism server (`@stoplight/prism-cli`) on a free loopback port: a mock of the spec,
// or a validating proxy in front of a real server. Used by the contract tests' global setup, by
// `npm start` (scripts/demo.ts) and by anything else that needs the mock.
//
// Prism runs as `node <prism-cli> mock|proxy ...` (no npx), detached in its own process group, with a
// watchdog preloaded that exits it when this process goes away. `stop()` kills the whole group and
// resolves once the process has exited (its port is free again); exit, SIGINT and SIGTERM of this process
// kill every Prism still running.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';

export interface StartPrismOptions {
  /** The OpenAPI document; default openapi/openapi.yaml of this repository. */
  spec?: string;
  /** `--errors`: a request or response that breaks the spec gets an error response. Default true. */
  errors?: boolean;
  /** `--dynamic`: generate responses from the schemas instead of using the examples. Default false. */
  dynamic?: boolean;
  /** `--seed` for dynamic generation, so generated responses are reproducible. */
  seed?: string | number;
  /** `mock` (default) or `proxy` (validate traffic to and from `upstream`). */
  mode?: 'mock' | 'proxy';
  /** The real server for `mode: 'proxy'`, e.g. https://api.partner.market.yandex.ru */
  upstream?: string;
  /** How long to wait for Prism to answer; default 30 s. */
  startTimeoutMs?: number;
  /** Prism's `--verboseLevel`; default `info` (one line per request, kept in `output()`). */
  verboseLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
}

export interface PrismServer {
  /** e.g. http://127.0.0.1:43127 */
  baseUrl: string;
  port: number;
  pid: number;
  mode: 'mock' | 'proxy';
  /** The last lines Prism printed (stdout and stderr), for diagnostics. */
  output(): string;
  /** Stops Prism (SIGTERM to its process group, SIGKILL after a grace period); resolves once it exited. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const OUTPUT_LIMIT = 64 * 1024;
const STOP_GRACE_MS = 3_000;

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SPEC = path.resolve(here, '..', '..', 'openapi', 'openapi.yaml');
const WATCHDOG = path.join(here, 'prism-watchdog.cjs');

function prismCli(): string {
  // The package's "bin" entry; resolved from node_modules so no npx (and no shell) is involved.
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
}

// ---- every Prism this process started, killed if the process leaves --------------------------------

const running = new Set<ChildProcess>();
let handlersInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the whole process group (detached: Prism is its leader)
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function killAllNow(): void {
  for (const child of running) killGroup(child, 'SIGKILL');
}

function onSignal(signal: NodeJS.Signals): void {
  killAllNow();
  // If nobody else handles the signal, behave as if we had not listened: die of it.
  if (process.listenerCount(signal) === 1) {
    process.off(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllNow);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

// ---- start -------------------------------------------------------------------------------------------

class PrismStartError extends Error {
  constructor(
    message: string,
    readonly addressInUse: boolean,
  ) {
    super(message);
    this.name = 'PrismStartError';
  }
}

/** One real HTTP request: a CORS preflight, which Prism answers itself (never forwarded upstream). */
async function answers(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/v2/businesses/1/chats/new`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost', 'Access-Control-Request-Method': 'POST' },
      signal: AbortSignal.timeout(1_000),
    });
    await response.arrayBuffer();
    return response.status > 0;
  } catch {
    return false;
  }
}

async function startOnce(options: StartPrismOptions, port: number): Promise<PrismServer> {
  const mode = options.mode ?? 'mock';
  const spec = path.resolve(options.spec ?? DEFAULT_SPEC);
  const args = ['--require', WATCHDOG, prismCli(), mode, '-h', HOST, '-p', String(port)];
  if (options.errors ?? true) args.push('--errors');
  args.push('-v', options.verboseLevel ?? 'info');
  if (mode === 'mock') {
    if (options.dynamic) args.push('--dynamic');
    if (options.seed !== undefined) args.push('--seed', String(options.seed));
    args.push(spec);
  } else {
    if (options.upstream === undefined) throw new Error("startPrism: mode 'proxy' needs an upstream URL");
    if (options.dynamic || options.seed !== undefined) {
      throw new Error("startPrism: 'dynamic' and 'seed' apply to mode 'mock' only");
    }
    args.push(spec, options.upstream);
  }

  installExitHandlers();
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  running.add(child);
  const exited = once(child, 'exit').then(() => {
    running.delete(child);
  });
  // Never let Prism block on a full pipe: keep reading, keep the tail.
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.stdin?.on('error', () => {}); // EPIPE once Prism is gone
  child.on('error', (error) => keep(Buffer.from(`\n[spawn error] ${error.message}\n`)));

  const baseUrl = `http://${HOST}:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      } else {
        await exited;
      }
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
    })();
    return stopping;
  };

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const command = `prism ${args.slice(3).join(' ')}`;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new PrismStartError(
        `Prism exited (${child.exitCode ?? child.signalCode}) before answering: ${command}\n${output}`,
        /EADDRINUSE/.test(output),
      );
    }
    if (await answers(baseUrl)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new PrismStartError(
        `Prism did not answer on ${baseUrl} within ${timeoutMs} ms: ${command}\n--- Prism output ---\n${output}`,
        /EADDRINUSE/.test(output),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    baseUrl,
    port,
    pid: child.pid ?? -1,
    mode,
    output: () => output,
    stop,
  };
}

/**
 * Starts Prism on a free loopback port and resolves once it answers HTTP requests.
 * `startPrism()` mocks openapi/openapi.yaml with `--errors`.
 */
export async function startPrism(options: StartPrismOptions = {}): Promise<PrismServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await getPort({ host: HOST });
    try {
      return await startOnce(options, port);
    } catch (error) {
      // Someone took the port between get-port and Prism's listen: try another one.
      if (error instanceof PrismStartError && error.addressInUse && attempt < 3) continue;
      throw error;
    }
  }
}
