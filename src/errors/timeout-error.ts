import { attemptCount, noteTail } from '../base/attempts.ts';
import { ConnectionError } from './connection-error.ts';

/** An attempt got no complete response within `timeoutMs`. Retried like other connection failures. */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
  /** The per-attempt limit that was hit. */
  readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number, attempts: number, note?: string) {
    super(`${operation}: no response within ${timeoutMs} ms (${attemptCount(attempts)})${noteTail(note)}`, {
      attempts,
    });
    this.timeoutMs = timeoutMs;
  }
}
