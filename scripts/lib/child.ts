// Child processes for the packaging scripts and tests: npm, node and tools run with a clean npm environment.
import { execFile } from 'node:child_process';

export const SLOW_MS = 180_000;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment for child npm/node/tsc: without the npm_* variables of an enclosing `npm test`. */
export function childEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') || keep.has(key.toLowerCase())) env[key] = value;
  }
  return { ...env, NO_UPDATE_NOTIFIER: '1', npm_config_update_notifier: 'false' };
}

/** Runs a command to its end; a non-zero exit is a result, not an exception (a kill at `timeoutMs` is one). */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = childEnv(),
  timeoutMs = SLOW_MS,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env, maxBuffer: 32 * 1024 * 1024, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs a command and returns its output, failing with all of it on a non-zero exit. */
export async function runOk(
  command: string,
  args: readonly string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** npm itself: the one running `npm test` when there is one, else `npm` from PATH. */
export function npm(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const cli = process.env.npm_execpath;
  if (cli !== undefined && /npm-cli\.[cm]?js$/.test(cli)) {
    return runOk(process.execPath, [cli, ...args], cwd, env);
  }
  return runOk('npm', args, cwd, env);
}
