// How often one call may send its request again. Two budgets: a 420/429 (the API did not act; it asks to
// wait) draws from `maxRateLimitResends`, every other retryable failure from `maxRetries`. Without a
// bound of their own, 420s answered to everything would keep a call sending until its deadline.
import type { RetryBudget } from '../hooks.ts';
import type { FailureKind } from './read-response.ts';

/** The budget a re-send after a failure of this kind draws from. */
export function budgetFor(kind: FailureKind): RetryBudget {
  return kind === 'quota' || kind === 'parallel-limit' || kind === 'rate-limit'
    ? 'rateLimitResends'
    : 'retries';
}

export class ResendBudget {
  readonly #limits: Readonly<Record<RetryBudget, number>>;
  readonly #used: Record<RetryBudget, number> = { retries: 0, rateLimitResends: 0 };

  constructor(limits: { maxRetries: number; maxRateLimitResends: number }) {
    this.#limits = { retries: limits.maxRetries, rateLimitResends: limits.maxRateLimitResends };
  }

  /** Re-sends already made from `budget`. */
  used(budget: RetryBudget): number {
    return this.#used[budget];
  }

  /** Whether `budget` has no re-send left. */
  usedUp(budget: RetryBudget): boolean {
    return this.#used[budget] >= this.#limits[budget];
  }

  /** Counts one re-send against `budget`. */
  spend(budget: RetryBudget): void {
    this.#used[budget]++;
  }

  /** The note for an error thrown because `budget` is used up (a used-up maxRetries needs none). */
  usedUpNote(budget: RetryBudget): string | undefined {
    return budget === 'rateLimitResends'
      ? `maxRateLimitResends (${this.#limits.rateLimitResends}) used up`
      : undefined;
  }
}
