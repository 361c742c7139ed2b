// A redis-server of its own for tests and benchmarks: on a free 127.0.0.1 port, no persistence, stopped
// by its pid. Without redis-server on the PATH, tests say loudly that they were skipped and how to
// install it; with CI set they fail instead.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import getPort from 'get-port';

export const INSTALL_HINT =
  'install it: apt-get install -y redis-server (Debian/Ubuntu) or brew install redis';

/** Whether `redis-server` can be run here. */
export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** For test files: false (after a loud warning) when the tests must be skipped; throws under CI. */
export function redisTestsRun(): boolean {
  if (hasRedisServer()) return true;
  const message = `redis-server is not on the PATH: the Redis store's tests cannot run; ${INSTALL_HINT}`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n!!! SKIPPED: ${message}\n`);
  return false;
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly pid: number | undefined;
  /** Kills it with SIGKILL (data lost, as by a crash). */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that takes forever to answer. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await getPort({ host: '127.0.0.1' });
  let child: ChildProcess | undefined = await spawnServer(port);
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    async kill() {
      if (child === undefined) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
      child = undefined;
    },
    async restart() {
      await server.kill();
      child = await spawnServer(port);
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async stop() {
      if (child !== undefined) child.kill('SIGCONT');
      await server.kill();
    },
  };
  return server;
}

async function spawnServer(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const started = Date.now();
  for (;;) {
    if (await answersPing(port)) return child;
    if (child.exitCode !== null || Date.now() - started > 10_000) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
