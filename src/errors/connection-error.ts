import { MarketError } from './market-error.ts';

/** No response arrived: DNS, TCP, TLS or a reset connection. `cause` holds what `fetch` threw. Retried. */
export class ConnectionError extends MarketError {
  override name = 'ConnectionError';
  /** How many requests were sent before giving up. */
  readonly attempts: number;

  constructor(message: string, options: { cause?: unknown; attempts: number }) {
    super(message, { cause: options.cause });
    this.attempts = options.attempts;
  }
}
