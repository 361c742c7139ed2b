import { MarketError } from './market-error.ts';

/**
 * `fetch` failed in a way that is not the network: an injected fetch threw synchronously or resolved to
 * something other than a `Response`, or fetch refused the URL itself (e.g. a port it blocks). `cause`
 * holds what it threw or returned. Not retried: the same call would fail the same way.
 */
export class FetchError extends MarketError {
  override name = 'FetchError';
  /** How many requests were attempted before giving up. */
  readonly attempts: number;

  constructor(message: string, options: { cause?: unknown; attempts: number }) {
    super(message, { cause: options.cause });
    this.attempts = options.attempts;
  }
}
