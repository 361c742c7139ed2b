import type { MarketError } from './errors/market-error.ts';

/** About to send an attempt. The credential header is replaced by `[REDACTED]`. */
export interface RequestEvent {
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** An attempt got a response (any status). */
export interface ResponseEvent {
  attempt: number;
  status: number;
  headers: Record<string, string>;
  /** From sending the request to reading the whole body. */
  durationMs: number;
}

/** An attempt failed and another follows after `delayMs`. */
export interface RetryEvent {
  /** The attempt that failed. */
  attempt: number;
  delayMs: number;
  /** What the failed attempt would have thrown. */
  reason: MarketError;
}

/**
 * Observers for logs and metrics. They are called synchronously and not awaited; an exception thrown by a
 * hook (or a rejection of an async one) is swallowed, so that logging can never break a call.
 */
export interface MarketClientHooks {
  onRequest?: (event: RequestEvent) => void;
  onResponse?: (event: ResponseEvent) => void;
  onRetry?: (event: RetryEvent) => void;
}

function ignore(): void {}

export function emit<Event>(hook: ((event: Event) => void) | undefined, event: Event): void {
  if (hook === undefined) return;
  try {
    // An async hook returns a promise: its rejection must not become an unhandled one either.
    const result: unknown = hook(event);
    if (result instanceof Promise) result.catch(ignore);
  } catch {
    // Deliberately ignored: see MarketClientHooks.
  }
}
