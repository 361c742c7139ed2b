import type { MarketError } from './errors/market-error.ts';

/** What every event names: its call, the operation (e.g. `createChat`) and the business it was for. */
export interface CallEvent {
  /**
   * The call the event belongs to: the same on every event of one call, different for every call in the
   * process (a counter from 1, across clients). Each page of an iterator is a call of its own.
   */
  callId: number;
  operation: string;
  businessId: number;
}

/** About to send an attempt. The credential header is replaced by `[REDACTED]`. */
export interface RequestEvent extends CallEvent {
  /** 1 for the call's first request, 2 for the next one, ... (every request counts, retried or not). */
  attempt: number;
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** An attempt got a response (any status). */
export interface ResponseEvent extends CallEvent {
  attempt: number;
  status: number;
  headers: Record<string, string>;
  /** From sending the request to reading the whole body. */
  durationMs: number;
}

/** An attempt failed: an error status, a timeout, a connection failure, a broken contract. */
export interface AttemptErrorEvent extends CallEvent {
  attempt: number;
  /** What the attempt failed with (what the call throws if it is the last). */
  error: MarketError;
  /** Whether the call sends the request again. */
  willRetry: boolean;
}

/** Which budget a re-send used: `maxRateLimitResends` after a 420/429, `maxRetries` after anything else. */
export type RetryBudget = 'retries' | 'rateLimitResends';

/**
 * An attempt failed and the request is sent again after `delayMs` (a wait for quota or a slot may follow).
 * Every re-send is reported, each using up one of its `budget`: `rateLimitResends` after a 420/429,
 * `retries` (maxRetries) after any other failure.
 */
export interface RetryEvent extends CallEvent {
  /** The attempt that failed. */
  attempt: number;
  delayMs: number;
  /** What the failed attempt would have thrown. */
  reason: MarketError;
  /** `maxRateLimitResends` or `maxRetries`, whichever this re-send counts against. */
  budget: RetryBudget;
}

/**
 * A call is held before sending: `quota`, its operation's quota is used up until `until` (known from an
 * earlier response or a 420); `parallel-limit`, a 420 said the business has too many requests in flight.
 * A hold sends nothing and uses up no budget; the request that a 420 sends again after its hold is a
 * re-send (`onRetry`, budget `rateLimitResends`).
 */
export interface HeldEvent extends CallEvent {
  reason: 'quota' | 'parallel-limit';
  delayMs: number;
  until: Date;
}

/** A call failed for good: `error` is what it rejects with (an abort's reason included). */
export interface FailureEvent extends CallEvent {
  /** Requests sent by this call. */
  attempts: number;
  error: unknown;
}

/**
 * A call ended, whatever the outcome: fired exactly once per call, after its other events. A call starts
 * once its input and options were accepted (a ValidationError of either rejects before any call starts).
 */
export interface CallEndEvent extends CallEvent {
  /** Whether the call resolved. */
  ok: boolean;
  /** From the call to its result (slot queue, quota holds, retry waits and every attempt included). */
  durationMs: number;
  /** Requests sent by this call (0 when it ended before sending any). */
  attempts: number;
  /** What the call rejects with (an abort's reason included); absent when `ok`. */
  error?: unknown;
}

/**
 * A 200 body the client read differs from the spec where the client does not depend on it (e.g.
 * `customer.name: ""`, a `createdAt` without a zone, `payload: []`): the value is passed through as it
 * came, and reported here. An item of a page without a usable id is left out and reported here too.
 */
export interface DriftEvent extends CallEvent {
  /** Where in the body, e.g. `result.chats[3].context.customer`. */
  path: string;
  /** What the spec expects there, e.g. `must be an RFC 3339 date-time ...`, or `is required`. */
  expected: string;
  /** The value as it came (undefined when missing); the credential replaced by `[REDACTED]`. */
  got: unknown;
}

/**
 * Observers for logs and metrics. They are called synchronously and not awaited; an exception thrown by a
 * hook (or a rejection of an async one) is swallowed, so that logging can never break a call.
 */
export interface MarketClientHooks {
  onRequest?: (event: RequestEvent) => void;
  onResponse?: (event: ResponseEvent) => void;
  onAttemptError?: (event: AttemptErrorEvent) => void;
  onRetry?: (event: RetryEvent) => void;
  onHeld?: (event: HeldEvent) => void;
  onFailure?: (event: FailureEvent) => void;
  onDrift?: (event: DriftEvent) => void;
  onCallEnd?: (event: CallEndEvent) => void;
}

export const HOOK_NAMES = [
  'onRequest',
  'onResponse',
  'onAttemptError',
  'onRetry',
  'onHeld',
  'onFailure',
  'onDrift',
  'onCallEnd',
] as const satisfies ReadonlyArray<keyof MarketClientHooks>;

function ignore(): void {}

/** Calls `hook` with the event that `build` makes, built only when the hook is there. */
export function emit<Event>(hook: ((event: Event) => void) | undefined, build: () => Event): void {
  // Stryker disable next-line ConditionalExpression: only saves building the event; calling a missing hook throws a TypeError, which the catch below ignores just the same
  if (hook === undefined) return;
  try {
    // An async hook returns a promise: its rejection must not become an unhandled one either.
    const result: unknown = hook(build());
    if (result instanceof Promise) result.catch(ignore);
  } catch {
    // Deliberately ignored: see MarketClientHooks.
  }
}
