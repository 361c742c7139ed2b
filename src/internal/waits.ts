// The waits of a call: a hold while its operation's quota is used up, the delay before sending again, and
// the bound on every wait (the shorter of maxRetryDelayMs and what is left of the call's deadline).

import { attemptCount } from '../base/attempts.ts';
import { DeadlineError } from '../errors/deadline-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { emit } from '../hooks.ts';
import { type CallState, callEvent, type EngineParts } from './engine-parts.ts';
import type { Failure, FailureKind } from './read-response.ts';
import { backoffDelayMs, parallelLimitDelayMs } from './retry-delay.ts';
import { settledWithin, sleep } from './sleep.ts';

/** How long one wait may last: the shorter of maxRetryDelayMs and what is left of the deadline. */
export function waitLimitMs(parts: EngineParts, call: CallState, now: number): number {
  return Math.min(parts.settings.maxRetryDelayMs, Math.max(0, call.deadlineAt - now));
}

/** A wait of `waitedMs` (its waitLimitMs) ran out. */
export function waitTooLong(
  parts: EngineParts,
  call: CallState,
  waitingFor: 'slot' | 'quota',
  waitedMs: number,
): DeadlineError {
  const { maxRetryDelayMs } = parts.settings;
  const bound = waitedMs < maxRetryDelayMs ? 'deadlineMs' : 'maxRetryDelayMs';
  const limitMs = bound === 'deadlineMs' ? call.settings.deadlineMs : maxRetryDelayMs;
  return new DeadlineError(call.operation, { limitMs, bound, waitingFor, attempts: call.sent });
}

/** Waits while the operation's quota for the business is known to be used up; never sends meanwhile. */
export async function holdForQuota(parts: EngineParts, call: CallState): Promise<void> {
  const { quotas } = parts;
  const { maxRetryDelayMs } = parts.settings;
  const { operation, businessId } = call;
  for (;;) {
    const now = Date.now();
    const decision = quotas.decide(businessId, operation, now);
    if (decision === undefined) return;
    if (decision.hold === 'answer') {
      // Only requests still in flight stand between the quota and zero: their answers tell. A request may
      // take its whole timeout to answer, so this wait is bounded like any other.
      const limitMs = waitLimitMs(parts, call, now);
      const answered = await settledWithin(
        quotas.nextAnswer(businessId, operation),
        limitMs,
        call.settings.signal,
      );
      if (!answered) throw waitTooLong(parts, call, 'quota', limitMs);
      continue;
    }
    const { until } = decision;
    const delayMs = until - now;
    if (delayMs > maxRetryDelayMs || until >= call.deadlineAt) {
      const bound =
        delayMs > maxRetryDelayMs
          ? `maxRetryDelayMs (${maxRetryDelayMs} ms)`
          : `the call's deadlineMs (${call.settings.deadlineMs} ms)`;
      const resetAt = new Date(until);
      throw new RateLimitError(
        {
          operation,
          status: 420,
          errors: [],
          headers: new Headers(),
          rateLimit: quotas.state(businessId, operation),
          attempts: call.sent,
          resetAt,
        },
        `${operation}: not sent: its quota for business ${businessId} is used up until ${resetAt.toISOString()} ` +
          `(${Math.ceil(delayMs / 1000)} s, as an earlier response said), longer than ${bound}: ` +
          `try again after that (${attemptCount(call.sent)})`,
      );
    }
    emit(parts.settings.hooks.onHeld, () => ({
      ...callEvent(call),
      reason: 'quota' as const,
      delayMs,
      until: new Date(until),
    }));
    await sleep(delayMs, call.settings.signal);
  }
}

/**
 * How long to wait before sending again after `failure` (of `kind`, read as the call loop reads it);
 * throws the failure's error when that wait is not allowed. `congestion` counts the call's parallel-limit
 * 420s, `resends` the re-sends already made from the failure's budget.
 */
export function retryDelayMs(
  parts: EngineParts,
  call: CallState,
  failure: Failure,
  kind: FailureKind,
  congestion: number,
  resends: number,
): number {
  const { maxRetryDelayMs } = parts.settings;
  const attempt = call.sent;
  const now = Date.now();
  let delayMs: number;
  if (kind === 'parallel-limit') delayMs = parallelLimitDelayMs(congestion);
  else {
    const askedMs = failure.resetAt === undefined ? undefined : failure.resetAt.getTime() - now;
    if (askedMs !== undefined && askedMs > maxRetryDelayMs) {
      throw failure.toError(
        attempt,
        // Stryker disable next-line OptionalChaining: askedMs is defined only when resetAt is
        `the server asks to wait until ${failure.resetAt?.toISOString()} (${Math.ceil(askedMs / 1000)} s), ` +
          `longer than maxRetryDelayMs (${maxRetryDelayMs} ms): try again after that`,
      );
    }
    // Stryker disable next-line ConditionalExpression: a check for the types; undefined > 0 is false anyway
    delayMs = askedMs !== undefined && askedMs > 0 ? askedMs : backoffDelayMs(resends + 1);
  }
  // An attempt needs time left: one that would start just at the deadline could only time out.
  if (now + delayMs >= call.deadlineAt) {
    throw failure.toError(
      attempt,
      `the next attempt would come ${delayMs} ms from now, past the call's deadlineMs (${call.settings.deadlineMs} ms)`,
    );
  }
  return delayMs;
}
