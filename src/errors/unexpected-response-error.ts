import type { ApiErrorDTO } from '../../generated/schema.ts';
import { MarketError } from './market-error.ts';

/**
 * The server answered outside the contract: a 200 without the result the operation promises, a body that
 * is not JSON or cannot be decoded, an empty body, a body over `maxResponseBytes`, or a redirect. Not
 * retried: the same request would most likely get the same answer. A 200 that says `status: ERROR`
 * without a result carries Yandex's error list in `errors` and `code`.
 */
export class UnexpectedResponseError extends MarketError {
  override name = 'UnexpectedResponseError';
  /** The HTTP status of the response. */
  readonly status: number;
  /** The response headers. */
  readonly headers: Headers;
  /** Yandex's error list, when the body carried one (a 200 with `status: ERROR`); otherwise empty. */
  readonly errors: readonly ApiErrorDTO[];
  /** The first error's code, if any. */
  readonly code: string | undefined;

  constructor(
    operation: string,
    message: string,
    response: { status: number; headers: Headers },
    errors: readonly ApiErrorDTO[] = [],
  ) {
    super(`${operation}: ${message}`);
    this.status = response.status;
    this.headers = response.headers;
    this.errors = errors;
    this.code = errors[0]?.code;
  }
}
