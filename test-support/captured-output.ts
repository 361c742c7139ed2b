// For tests that run a command's function in-process: an `out` to pass it, and what it printed there.
export interface CapturedOutput {
  out: Pick<Console, 'log' | 'error'>;
  /** The `log` lines, joined with newlines. */
  stdout(): string;
  /** The `error` lines, joined with newlines. */
  stderr(): string;
}

export function captureOutput(): CapturedOutput {
  const logged: string[] = [];
  const errors: string[] = [];
  return {
    out: {
      log: (...parts: unknown[]) => void logged.push(parts.join(' ')),
      error: (...parts: unknown[]) => void errors.push(parts.join(' ')),
    },
    stdout: () => logged.join('\n'),
    stderr: () => errors.join('\n'),
  };
}
