// What the demos (`npm start`, `npm run demo:notifications`) share: named steps, and a run that exits 0,
// or 1 with a message naming the failed step, and never hangs.

export class StepError extends Error {}

export const log = (line: string) => process.stdout.write(`${line}\n`);

/** An error's first lines: Prism's start-up errors carry all it printed (then its usage text). */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const lines = `${error.name}: ${error.message}`.split('\n');
  const shown = 6;
  return lines.length <= shown
    ? lines.join('\n')
    : [...lines.slice(0, shown), `  ... (${lines.length - shown} more lines)`].join('\n');
}

/** Runs one step; whatever it throws comes back as a StepError naming the step. */
export async function step<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new StepError(`step "${name}" failed: ${describe(error)}`, { cause: error });
  }
}

/** Runs `main` and exits: 0, or 1 with `demo FAILED: ...` on stderr; a run over 120 s fails too. */
export function runDemo(main: () => Promise<void>): void {
  // Never hang: a stuck step fails the run (prism.ts stops the mock on exit).
  setTimeout(() => {
    process.stderr.write('\ndemo FAILED: no result within 120 s\n');
    process.exit(1);
  }, 120_000).unref();

  main().then(
    () => process.exit(0),
    (error: unknown) => {
      const message = error instanceof StepError ? error.message : `unexpected error: ${describe(error)}`;
      process.stderr.write(`\ndemo FAILED: ${message}\n`);
      process.exit(1);
    },
  );
}
