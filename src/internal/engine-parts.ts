// What the parts of the engine share: its settings and the state it keeps across calls (engine.ts makes
// them), and one call as it goes (call-loop.ts). The parts: call-loop.ts (slot, hold, attempt, decide),
// waits.ts (quota holds, retry delays, wait limits), send-attempt.ts (one request), thrown-send.ts.

import type { RateLimitState } from '../base/rate-limit.ts';
import type { SharedLimits } from '../base/shared-limits.ts';
import type { CallEvent, MarketClientHooks } from '../hooks.ts';
import type { BusinessGate } from './business-gate.ts';
import type { QuotaBook } from './quota-book.ts';
import type { Redactor } from './redact.ts';
import type { SendRequest } from './send-request.ts';
import type { ServerClock } from './server-clock.ts';

export interface EngineSettings {
  baseUrl: string;
  /** The credential and `X-Market-Integration`, sent with every request. */
  headers: Record<string, string>;
  /** An injected fetch, or undefined for the global one. */
  fetch: ((request: Request) => Promise<Response>) | undefined;
  hooks: MarketClientHooks;
  maxRetryDelayMs: number;
  maxResponseBytes: number;
  maxInFlight: number;
  /** Limits shared with other clients through a store (issue 16), or undefined. */
  sharedLimits: SharedLimits | undefined;
}

/** One call's settings, after the client's defaults were applied and checked. */
export interface CallSettings {
  signal: AbortSignal | undefined;
  maxRetries: number;
  /** Re-sends after 420/429 answers, counted apart from maxRetries. */
  maxRateLimitResends: number;
  timeoutMs: number;
  deadlineMs: number;
}

/** One engine: its settings and what it knows across calls. */
export interface EngineParts {
  readonly settings: EngineSettings;
  /** The engine's own sender (send-request.ts). */
  readonly send: SendRequest;
  /** baseUrl's host, for error messages. */
  readonly host: string;
  /** In-flight slots per business. */
  readonly gate: BusinessGate;
  /** Quota per business and operation. */
  readonly quotas: QuotaBook;
  /** The server's clock, for reading its reset times. */
  readonly clock: ServerClock;
  /** Replaces an echo of the credential in everything built from a response. */
  readonly redactor: Redactor;
  /** The `X-RateLimit-Resource-*` headers of the last response that carried them. */
  lastRateLimit: RateLimitState | undefined;
}

/** One call as it goes. */
export interface CallState {
  /** Unique in the process: see CallEvent.callId. */
  readonly id: number;
  /** The operation's name, e.g. `createChat`. */
  readonly operation: string;
  readonly businessId: number;
  readonly settings: CallSettings;
  /** Our clock's time at which the call's deadlineMs runs out: no attempt starts from then on. */
  readonly deadlineAt: number;
  /** Requests sent so far. */
  sent: number;
}

/** What every hook event of the call names. */
export function callEvent(call: CallState): CallEvent {
  return { callId: call.id, operation: call.operation, businessId: call.businessId };
}
