import { attemptCount } from '../base/attempts.ts';
import { MarketError } from './market-error.ts';

/**
 * The call gave up waiting: its `deadlineMs` passed (in the slot queue, a hold, a retry wait or a request),
 * or a wait for one of the business's in-flight slots went past `maxRetryDelayMs`. Never retried. No
 * request is sent once the deadline has passed: `send` says a wait (e.g. a timer that fired late) ended
 * past it, and the next attempt was not sent.
 */
export class DeadlineError extends MarketError {
  override name = 'DeadlineError';
  /** The bound that was hit: the call's `deadlineMs`, or `maxRetryDelayMs` for a slot wait. */
  readonly limitMs: number;
  /** What the call was doing when the bound passed. */
  readonly waitingFor: 'slot' | 'quota' | 'response' | 'send';
  /** How many requests were sent before giving up. */
  readonly attempts: number;

  constructor(
    operation: string,
    details: {
      limitMs: number;
      bound: 'deadlineMs' | 'maxRetryDelayMs';
      waitingFor: 'slot' | 'quota' | 'response' | 'send';
      attempts: number;
    },
  ) {
    const what = {
      slot: 'waiting for an in-flight slot of the business',
      quota: 'waiting for the answers that tell whether the quota of the business has calls left',
      response: 'waiting for a response',
      send: `before sending attempt ${details.attempts + 1}`,
    }[details.waitingFor];
    super(
      `${operation}: gave up ${what}: ${details.bound} (${details.limitMs} ms) passed (${attemptCount(details.attempts)})`,
    );
    this.limitMs = details.limitMs;
    this.waitingFor = details.waitingFor;
    this.attempts = details.attempts;
  }
}
