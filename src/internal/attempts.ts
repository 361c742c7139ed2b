/** "1 attempt", "3 attempts": how every error message ends. */
export function attemptCount(attempts: number): string {
  return `${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`;
}
