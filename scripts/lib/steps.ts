// Runs a test plan's steps: lanes side by side, the steps of one lane one after another. Each step's
// output is kept and printed whole when the plan ends (no interleaving), with one line per step as it
// ends, and a summary of each step's time. Every step runs even when another fails.
import { spawn } from 'node:child_process';

export interface Step {
  name: string;
  command: string;
  args: readonly string[];
}

export interface StepResult {
  name: string;
  ok: boolean;
  /** The exit code, or the signal that ended the step. */
  exit: number | string;
  ms: number;
  /** stdout and stderr, in the order they came. */
  output: string;
}

export interface PlanOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Told of each step as it ends (progress). */
  onEnd?: (result: StepResult) => void;
}

/** Runs one step to its end; a failed start (e.g. no such command) is a failed step, not an exception. */
export function runStep(step: Step, { cwd, env = process.env }: PlanOptions): Promise<StepResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn(step.command, step.args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const finish = (exit: number | string, extra = '') =>
      resolve({
        name: step.name,
        ok: exit === 0,
        exit,
        ms: performance.now() - started,
        output: Buffer.concat(chunks).toString('utf8') + extra,
      });
    child.on('error', (error) => finish('error', `${error.message}\n`));
    child.on('close', (code, signal) => finish(code ?? signal ?? 'unknown'));
  });
}

/** Runs the lanes side by side; returns every step's result, in plan order. */
export async function runPlan(
  lanes: readonly (readonly Step[])[],
  options: PlanOptions,
): Promise<StepResult[]> {
  const perLane = await Promise.all(
    lanes.map(async (lane) => {
      const results: StepResult[] = [];
      for (const step of lane) {
        const result = await runStep(step, options);
        options.onEnd?.(result);
        results.push(result);
      }
      return results;
    }),
  );
  return perLane.flat();
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function statusLine(result: StepResult): string {
  return result.ok
    ? `✓ ${result.name} (${seconds(result.ms)})`
    : `✗ ${result.name} FAILED, exit ${result.exit} (${seconds(result.ms)})`;
}

/** Each step's time, slowest first, the failed ones marked, and the wall time of the whole plan. */
export function summary(results: readonly StepResult[], wallMs: number): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const rows = [...results]
    .sort((a, b) => b.ms - a.ms)
    .map(
      (r) =>
        `  ${r.name.padEnd(width)}  ${seconds(r.ms).padStart(7)}${r.ok ? '' : `  FAILED (exit ${r.exit})`}`,
    );
  const failed = results.filter((r) => !r.ok).map((r) => r.name);
  const verdict = failed.length === 0 ? 'all passed' : `FAILED: ${failed.join(', ')}`;
  return `Steps (slowest first; lanes run side by side):\n${rows.join('\n')}\nTotal ${seconds(wallMs)} wall: ${verdict}`;
}
