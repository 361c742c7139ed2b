import { MarketError } from './market-error.ts';

/**
 * The server answered outside the contract: a 200 without a valid `chatId`, a body that is not JSON,
 * an empty body, or a redirect. Not retried: the same request would most likely get the same answer.
 */
export class UnexpectedResponseError extends MarketError {
  override name = 'UnexpectedResponseError';
  /** The HTTP status of the response. */
  readonly status: number;
  /** The response headers. */
  readonly headers: Headers;

  constructor(message: string, response: { status: number; headers: Headers }) {
    super(`createChat: ${message}`);
    this.status = response.status;
    this.headers = response.headers;
  }
}
