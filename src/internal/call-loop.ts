// The loop of one call: hold while the quota is used up, take a slot (local, then shared), send one
// attempt, and decide on its outcome: the result, the error to throw, or a wait and another round.

import { enterShared } from '../base/shared-limits.ts';
import { DeadlineError } from '../errors/deadline-error.ts';
import { DeliveryUnknownError } from '../errors/delivery-unknown-error.ts';
import type { MarketError } from '../errors/market-error.ts';
import { emit } from '../hooks.ts';
import { type CallState, callEvent, type EngineParts } from './engine-parts.ts';
import type { BusinessInput, Operation } from './operation.ts';
import type { Failure, FailureKind, Outcome } from './read-response.ts';
import { budgetFor, ResendBudget } from './resend-budget.ts';
import { sendAttempt } from './send-attempt.ts';
import { sleep } from './sleep.ts';
import { holdForQuota, retryDelayMs, waitLimitMs, waitTooLong } from './waits.ts';

/** Runs the call to its result, or throws what it fails with. */
export async function runCall<Valid extends BusinessInput, Result>(
  parts: EngineParts,
  call: CallState,
  operation: Operation<BusinessInput, Result, Valid>,
  valid: Valid,
): Promise<Result> {
  const { gate, quotas, settings } = parts;
  const { businessId } = call;
  const { signal } = call.settings;
  const request = operation.toRequest(valid);
  const budget = new ResendBudget(call.settings);
  let congestion = 0;
  for (;;) {
    await holdForQuota(parts, call);
    const slotWaitMs = waitLimitMs(parts, call, Date.now());
    const slotWaitTooLong = () => waitTooLong(parts, call, 'slot', slotWaitMs);
    const release = await gate.acquire(businessId, signal, slotWaitMs, slotWaitTooLong);
    // The slot may have been handed over while the signal aborted, or the quota ran out while queued.
    if (signal?.aborted) {
      release();
      throw signal.reason;
    }
    if (quotas.decide(businessId, operation.name, Date.now()) !== undefined) {
      release();
      continue;
    }
    // Every wait above ends before the deadline, but a timer may fire late: no attempt starts past it.
    if (Date.now() >= call.deadlineAt) {
      release();
      const details = { limitMs: call.settings.deadlineMs, bound: 'deadlineMs', waitingFor: 'send' } as const;
      throw new DeadlineError(operation.name, { ...details, attempts: call.sent });
    }
    // [shared limits 1/3] A slot across every client sharing the store, or a hold for the known window.
    // No await without a store: the quota check above and `sending` below stay in one step.
    const shared =
      settings.sharedLimits === undefined
        ? undefined
        : await enterShared(
            settings.sharedLimits,
            businessId,
            operation.name,
            signal,
            slotWaitMs,
            slotWaitTooLong,
            release,
          );
    if (typeof shared === 'number') {
      quotas.block(businessId, operation.name, shared);
      continue;
    }
    quotas.sending(businessId, operation.name);
    const attempt = ++call.sent;
    let outcome: Outcome<Result>;
    let othersInFlight = 0;
    try {
      outcome = await sendAttempt(parts, call, operation, request);
      // [shared limits 2/3] What the answer says of the in-flight limit; `finally` frees the slot otherwise.
      shared?.release(
        outcome.ok ? 'ok' : outcome.failure.kind === 'parallel-limit' ? 'parallel-limit' : 'other',
      );
      // Before the slot is released: the gate lowers the limit to what else is in flight.
      if (!outcome.ok && outcome.failure.kind === 'parallel-limit') {
        othersInFlight = gate.congested(businessId, Date.now());
      }
    } finally {
      release();
      shared?.release();
    }
    if (outcome.ok) {
      gate.succeeded(businessId, Date.now(), operation.name);
      return outcome.value;
    }
    const { failure } = outcome;
    const kind = failureKind(failure);
    // The attempt was the last: reported with the error the call throws.
    const lastAttempt = (error: MarketError) =>
      emit(settings.hooks.onAttemptError, () => ({ ...callEvent(call), attempt, error, willRetry: false }));
    // A write's 2xx that cannot be read was acted on all the same: the message may have been delivered.
    const unsure = operation.retry === 'write' && UNSURE_KINDS.has(kind);
    const spends = budgetFor(kind);
    if (kind === 'final' || kind === 'unreadable' || unsure || budget.usedUp(spends)) {
      const error = unsure
        ? new DeliveryUnknownError(operation.name, failure.toError(attempt), attempt)
        : failure.toError(attempt, budget.usedUpNote(spends));
      lastAttempt(error);
      throw error;
    }
    if (kind === 'parallel-limit') congestion++;
    // With others of ours in flight, the lowered limit makes the call wait for one of them to end: that
    // frees a slot at the server too. With none, only a short, growing wait tells.
    let delayMs = 0;
    // Stryker disable next-line ConditionalExpression: othersInFlight is 0 unless this was a parallel-limit 420
    if (kind !== 'parallel-limit' || othersInFlight === 0) {
      try {
        delayMs = retryDelayMs(parts, call, failure, kind, congestion, budget.used(spends));
      } catch (error) {
        // The wait it would take is not allowed: this attempt was the last.
        lastAttempt(error as MarketError);
        throw error;
      }
    }
    emit(settings.hooks.onAttemptError, () => ({
      ...callEvent(call),
      attempt,
      error: failure.toError(attempt),
      willRetry: true,
    }));
    budget.spend(spends);
    emit(settings.hooks.onRetry, () => ({
      ...callEvent(call),
      attempt,
      delayMs,
      reason: failure.toError(attempt),
      budget: spends,
    }));
    if (kind === 'quota') {
      // Every call of this operation for the business waits for the reset, not only this one.
      quotas.block(businessId, operation.name, Date.now() + delayMs);
      continue;
    }
    if (kind === 'parallel-limit' && delayMs > 0) {
      emit(settings.hooks.onHeld, () => ({
        ...callEvent(call),
        reason: 'parallel-limit' as const,
        delayMs,
        until: new Date(Date.now() + delayMs),
      }));
    }
    if (delayMs > 0) await sleep(delayMs, signal);
  }
}

/** The failures after which a write may have been delivered: it is not sent again (DeliveryUnknownError). */
const UNSURE_KINDS: ReadonlySet<FailureKind> = new Set(['server', 'timeout', 'connection', 'unreadable']);

/** A quota 420 whose reset has already passed says nothing useful: back off as for any other 420. */
function failureKind(failure: Failure): FailureKind {
  if (failure.kind !== 'quota') return failure.kind;
  // Stryker disable next-line OptionalChaining,StringLiteral: a quota failure always has a resetAt; 'rate-limit' acts by not being 'quota'
  return (failure.resetAt?.getTime() ?? 0) > Date.now() ? 'quota' : 'rate-limit';
}
