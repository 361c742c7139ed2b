/** "1 attempt", "3 attempts": how every error message ends. */
export function attemptCount(attempts: number): string {
  return `${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`;
}

/** A note (e.g. why the client stopped retrying early) as the end of an error message. */
export function noteTail(note: string | undefined): string {
  return note === undefined ? '' : `; ${note}`;
}
