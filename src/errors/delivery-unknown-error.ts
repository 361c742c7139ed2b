import { MarketError } from './market-error.ts';

/**
 * A write the customer sees (a message, a file) may or may not have been delivered: the request was sent,
 * then the answer was lost (a timeout, a dropped connection) or was a server error. It is not retried,
 * since a second attempt could show the customer the message twice. Check with `getChatHistory` before
 * sending again. `cause` holds what the attempt failed with (a TimeoutError, ConnectionError or ServerError).
 *
 * Every other error of a write means the API surely did not act on it.
 */
export class DeliveryUnknownError extends MarketError {
  override name = 'DeliveryUnknownError';
  /** How many requests were sent (the last one's outcome is unknown). */
  readonly attempts: number;

  constructor(operation: string, cause: MarketError, attempts: number) {
    super(
      `${operation}: may or may not have been delivered (${cause.message}); not retried so that the customer never gets it twice: check getChatHistory before sending again`,
      { cause },
    );
    this.attempts = attempts;
  }
}
