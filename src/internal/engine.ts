// The request engine every operation goes through: credential and integration headers (set on its
// sender), per-business slots, per-operation quota holds, per-attempt timeouts, the call's
// deadline, retries by the operation's policy, error mapping, hooks. An operation (src/operations/*)
// declares only its own part; see operation.ts. This file makes one engine and starts and ends its calls;
// call-loop.ts runs a call (see engine-parts.ts for the other parts).
import type { RateLimitState } from '../base/rate-limit.ts';
import { emit } from '../hooks.ts';
import { BusinessGate, type GateStats } from './business-gate.ts';
import { runCall } from './call-loop.ts';
import {
  type CallSettings,
  type CallState,
  callEvent,
  type EngineParts,
  type EngineSettings,
} from './engine-parts.ts';
import type { BusinessInput, Operation } from './operation.ts';
import { QuotaBook } from './quota-book.ts';
import { createRedactor, credentialOf } from './redact.ts';
import { createSendRequest } from './send-request.ts';
import { ServerClock } from './server-clock.ts';

export type { CallSettings, EngineSettings } from './engine-parts.ts';

/** What the engine knows of one business's limits. */
export interface BusinessLimits {
  /** In-flight slots: the current limit (4, or lower after parallel-limit 420s), in use, and waiting. */
  inFlight: GateStats;
  /** Each operation's quota as the last response said, by operationId; only operations already called. */
  quotas: Record<string, RateLimitState>;
}

/** The last callId given out: ids count up across every engine (client) of the process. */
let lastCallId = 0;

export function createEngine(settings: EngineSettings) {
  const { baseUrl, hooks } = settings;
  const parts: EngineParts = {
    settings,
    // The engine's own sender, built from openapi-fetch's serializers, not its createClient (which the
    // `raw` subpath alone needs): it keeps the main entry small. Each request passes its own fetch.
    send: createSendRequest(baseUrl, settings.headers),
    host: new URL(baseUrl).host,
    gate: new BusinessGate(settings.maxInFlight),
    quotas: new QuotaBook(),
    clock: new ServerClock(),
    // An echo of the credential in a response is replaced in everything built from it (errors, hooks).
    redactor: createRedactor(credentialOf(settings.headers)),
    lastRateLimit: undefined,
  };
  const { gate, quotas } = parts;
  const operationsSeen = new Set<string>();

  /** One call of `operation` with its validated input: onFailure and onCallEnd see how it ended. */
  async function call<Valid extends BusinessInput, Result>(
    operation: Operation<BusinessInput, Result, Valid>,
    valid: Valid,
    callSettings: CallSettings,
  ): Promise<Result> {
    operationsSeen.add(operation.name);
    // What is known of idle businesses whose windows are over is freed, so memory follows those in use.
    const now = Date.now();
    quotas.forgetIdle(now);
    gate.forgetIdle(now);
    const started = performance.now();
    const state: CallState = {
      id: ++lastCallId,
      operation: operation.name,
      businessId: valid.businessId,
      settings: callSettings,
      deadlineAt: now + callSettings.deadlineMs,
      sent: 0,
    };
    try {
      callSettings.signal?.throwIfAborted(); // inside: onFailure sees every failed call, an abort included
      const result = await runCall(parts, state, operation, valid);
      emit(hooks.onCallEnd, () => ({ ...callEnd(state, started), ok: true }));
      return result;
    } catch (error) {
      emit(hooks.onFailure, () => ({ ...callEvent(state), attempts: state.sent, error }));
      emit(hooks.onCallEnd, () => ({ ...callEnd(state, started), ok: false, error }));
      throw error;
    }
  }

  return {
    call,
    /** Replaces the client's credential in text built from a response (the iterators' messages use it too). */
    redactor: parts.redactor,
    /** The `X-RateLimit-Resource-*` headers of the last response that carried them. */
    get lastRateLimit(): RateLimitState | undefined {
      return parts.lastRateLimit;
    },
    limits(businessId: number): BusinessLimits {
      const quotasOf: Record<string, RateLimitState> = {};
      for (const name of operationsSeen) {
        const state = quotas.state(businessId, name);
        if (state !== undefined) quotasOf[name] = state;
      }
      return { inFlight: gate.stats(businessId), quotas: quotasOf };
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;

/** What onCallEnd says of every call, however it ended. */
function callEnd(call: CallState, started: number) {
  return { ...callEvent(call), durationMs: performance.now() - started, attempts: call.sent };
}
