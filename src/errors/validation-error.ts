import { MarketError } from './market-error.ts';

/** Bad input or options: nothing was sent. `field` names the culprit, e.g. `context.id` or `timeoutMs`. */
export class ValidationError extends MarketError {
  override name = 'ValidationError';
  /** The path of the offending field. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.field = field;
  }
}
