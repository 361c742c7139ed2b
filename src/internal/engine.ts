// The request engine every operation goes through: credential and integration headers (set on the
// openapi-fetch client), per-business slots, per-operation quota holds, per-attempt timeouts, the call's
// deadline, retries by the operation's policy, error mapping, hooks. An operation (src/operations/*)
// declares only its own part; see operation.ts.
import createClient from 'openapi-fetch';
import type { paths } from '../../generated/schema.ts';
import { attemptCount, noteTail } from '../base/attempts.ts';
import type { RateLimitState } from '../base/rate-limit.ts';
import { enterShared, type SharedLimits } from '../base/shared-limits.ts';
import { ConnectionError } from '../errors/connection-error.ts';
import { DeadlineError } from '../errors/deadline-error.ts';
import { DeliveryUnknownError } from '../errors/delivery-unknown-error.ts';
import { FetchError } from '../errors/fetch-error.ts';
import type { MarketError } from '../errors/market-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import { emit, type MarketClientHooks } from '../hooks.ts';
import { onAbort, untilAborted } from './abort.ts';
import { BodyTooLargeError, limitBody } from './body-limit.ts';
import { BusinessGate, type GateStats } from './business-gate.ts';
import { describeCause, isDecodingFailure, isNotConnected, isRefusedUrl } from './fetch-failure.ts';
import type { Operation } from './operation.ts';
import { PlainRequest } from './plain-request.ts';
import { QuotaBook } from './quota-book.ts';
import { readRateLimit } from './read-rate-limit.ts';
import { type Failure, type FailureKind, type Outcome, readResponse, unexpected } from './read-response.ts';
import { createRedactor, credentialOf, redactedHeaders } from './redact.ts';
import { budgetFor, ResendBudget } from './resend-budget.ts';
import { backoffDelayMs, parallelLimitDelayMs, serverDate, serverResetAt } from './retry-delay.ts';
import { ServerClock } from './server-clock.ts';
import { settledWithin, sleep } from './sleep.ts';

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

/** What the engine knows of one business's limits. */
export interface BusinessLimits {
  /** In-flight slots: the current limit (4, or lower after parallel-limit 420s), in use, and waiting. */
  inFlight: GateStats;
  /** Each operation's quota as the last response said, by operationId; only operations already called. */
  quotas: Record<string, RateLimitState>;
}

type SendRequest = (
  method: string,
  path: string,
  init: Record<string, unknown>,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** Not a network failure: the injected fetch broke its contract. */
class FetchMisuse extends Error {}

export function createEngine(settings: EngineSettings) {
  const { baseUrl, hooks, maxRetryDelayMs, maxResponseBytes } = settings;
  const injected = settings.fetch;
  // The engine's own openapi-fetch client: middleware a caller adds to `raw` never touches these calls.
  // Each request passes its own fetch (sender), so the client needs none.
  // Redirects are not followed: fetch would resend the Api-Key header to wherever the server points.
  const client = createClient<paths>({
    baseUrl,
    headers: settings.headers,
    redirect: 'manual',
  });
  const send = client.request.bind(client) as unknown as SendRequest;
  const gate = new BusinessGate(settings.maxInFlight);
  const quotas = new QuotaBook();
  const clock = new ServerClock();
  const host = new URL(baseUrl).host;
  // An echo of the credential in a response is replaced in everything built from it (errors, hooks).
  const redactor = createRedactor(credentialOf(settings.headers));
  const operationsSeen = new Set<string>();
  let lastRateLimit: RateLimitState | undefined;

  async function call<Valid extends { businessId: number }, Result>(
    operation: Operation<Valid, Result>,
    valid: Valid,
    call: CallSettings,
  ): Promise<Result> {
    operationsSeen.add(operation.name);
    // What is known of idle businesses whose windows are over is freed, so memory follows those in use.
    const now = Date.now();
    quotas.forgetIdle(now);
    gate.forgetIdle(now);
    const progress = { sent: 0 };
    try {
      call.signal?.throwIfAborted(); // inside: onFailure sees every failed call, an abort included
      return await run(operation, valid, call, progress);
    } catch (error) {
      // Stryker disable next-line ConditionalExpression: only saves building the event; emit() ignores a missing hook
      if (hooks.onFailure !== undefined) {
        const { businessId } = valid;
        emit(hooks.onFailure, { operation: operation.name, businessId, attempts: progress.sent, error });
      }
      throw error;
    }
  }

  async function run<Valid extends { businessId: number }, Result>(
    operation: Operation<Valid, Result>,
    valid: Valid,
    call: CallSettings,
    progress: { sent: number },
  ): Promise<Result> {
    const { businessId } = valid;
    const { signal } = call;
    const request = operation.toRequest(valid);
    const deadlineAt = Date.now() + call.deadlineMs;
    const budget = new ResendBudget(call);
    let congestion = 0;
    for (;;) {
      await holdForQuota(operation.name, businessId, call, deadlineAt, progress.sent);
      const slotWaitMs = waitLimitMs(deadlineAt, Date.now());
      const release = await gate.acquire(businessId, signal, slotWaitMs, () =>
        waitTooLong(operation.name, 'slot', slotWaitMs, call, progress.sent),
      );
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
      if (Date.now() >= deadlineAt) {
        release();
        const details = { limitMs: call.deadlineMs, bound: 'deadlineMs', waitingFor: 'send' } as const;
        throw new DeadlineError(operation.name, { ...details, attempts: progress.sent });
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
              () => waitTooLong(operation.name, 'slot', slotWaitMs, call, progress.sent),
              release,
            );
      if (typeof shared === 'number') {
        quotas.block(businessId, operation.name, shared);
        continue;
      }
      quotas.sending(businessId, operation.name);
      const attempt = ++progress.sent;
      let outcome: Outcome<Result>;
      let othersInFlight = 0;
      try {
        outcome = await sendAttempt(operation, request, attempt, call, deadlineAt);
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
      const at = { operation: operation.name, businessId, attempt };
      // A write's 2xx that cannot be read was acted on all the same: the message may have been delivered.
      const unsure = operation.retry === 'write' && UNSURE_KINDS.has(kind);
      const spends = budgetFor(kind);
      if (kind === 'final' || kind === 'unreadable' || unsure || budget.usedUp(spends)) {
        const error = unsure
          ? new DeliveryUnknownError(operation.name, failure.toError(attempt), attempt)
          : failure.toError(attempt, budget.usedUpNote(spends));
        // Stryker disable next-line ConditionalExpression: only saves building the event; emit() ignores a missing hook
        if (hooks.onAttemptError !== undefined)
          emit(hooks.onAttemptError, { ...at, error, willRetry: false });
        throw error;
      }
      if (kind === 'parallel-limit') congestion++;
      // With others of ours in flight, the lowered limit makes the call wait for one of them to end: that
      // frees a slot at the server too. With none, only a short, growing wait tells.
      let delayMs = 0;
      // Stryker disable next-line ConditionalExpression: othersInFlight is 0 unless this was a parallel-limit 420
      if (kind !== 'parallel-limit' || othersInFlight === 0) {
        try {
          delayMs = retryDelayMs(failure, kind, congestion, budget.used(spends), attempt, deadlineAt, call);
        } catch (error) {
          // The wait it would take is not allowed: this attempt was the last.
          // Stryker disable next-line ConditionalExpression: only saves building the event; emit() ignores a missing hook
          if (hooks.onAttemptError !== undefined)
            emit(hooks.onAttemptError, { ...at, error: error as MarketError, willRetry: false });
          throw error;
        }
      }
      // Stryker disable next-line ConditionalExpression: only saves building the event; emit() ignores a missing hook
      if (hooks.onAttemptError !== undefined) {
        emit(hooks.onAttemptError, { ...at, error: failure.toError(attempt), willRetry: true });
      }
      budget.spend(spends);
      // Stryker disable next-line ConditionalExpression: only saves building the event; emit() ignores a missing hook
      if (hooks.onRetry !== undefined)
        emit(hooks.onRetry, { ...at, delayMs, reason: failure.toError(attempt), budget: spends });
      if (kind === 'quota') {
        // Every call of this operation for the business waits for the reset, not only this one.
        quotas.block(businessId, operation.name, Date.now() + delayMs);
        continue;
      }
      if (kind === 'parallel-limit') {
        // A 420 is rare: building its event without asking whether a hook listens costs nothing.
        if (delayMs > 0) {
          const until = new Date(Date.now() + delayMs);
          emit(hooks.onHeld, {
            operation: operation.name,
            businessId,
            reason: 'parallel-limit',
            delayMs,
            until,
          });
        }
      }
      if (delayMs > 0) await sleep(delayMs, signal);
    }
  }

  /** How long to wait before sending again; throws the failure's error when that wait is not allowed. */
  function retryDelayMs(
    failure: Failure,
    kind: FailureKind,
    congestion: number,
    resends: number,
    attempt: number,
    deadlineAt: number,
    call: CallSettings,
  ): number {
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
    if (now + delayMs >= deadlineAt) {
      throw failure.toError(
        attempt,
        `the next attempt would come ${delayMs} ms from now, past the call's deadlineMs (${call.deadlineMs} ms)`,
      );
    }
    return delayMs;
  }

  /** How long one wait may last: the shorter of maxRetryDelayMs and what is left of the deadline. */
  function waitLimitMs(deadlineAt: number, now: number): number {
    return Math.min(maxRetryDelayMs, Math.max(0, deadlineAt - now));
  }

  /** A wait of `waitedMs` (its waitLimitMs) ran out. */
  function waitTooLong(
    operation: string,
    waitingFor: 'slot' | 'quota',
    waitedMs: number,
    call: CallSettings,
    attempts: number,
  ): DeadlineError {
    const bound = waitedMs < maxRetryDelayMs ? 'deadlineMs' : 'maxRetryDelayMs';
    const limitMs = bound === 'deadlineMs' ? call.deadlineMs : maxRetryDelayMs;
    return new DeadlineError(operation, { limitMs, bound, waitingFor, attempts });
  }

  /** Waits while the operation's quota for the business is known to be used up; never sends meanwhile. */
  async function holdForQuota(
    operation: string,
    businessId: number,
    call: CallSettings,
    deadlineAt: number,
    attempts: number,
  ): Promise<void> {
    for (;;) {
      const now = Date.now();
      const decision = quotas.decide(businessId, operation, now);
      if (decision === undefined) return;
      if (decision.hold === 'answer') {
        // Only requests still in flight stand between the quota and zero: their answers tell. A request may
        // take its whole timeout to answer, so this wait is bounded like any other.
        const limitMs = waitLimitMs(deadlineAt, now);
        const answered = await settledWithin(quotas.nextAnswer(businessId, operation), limitMs, call.signal);
        if (!answered) throw waitTooLong(operation, 'quota', limitMs, call, attempts);
        continue;
      }
      const { until } = decision;
      const delayMs = until - now;
      if (delayMs > maxRetryDelayMs || until >= deadlineAt) {
        const bound =
          delayMs > maxRetryDelayMs
            ? `maxRetryDelayMs (${maxRetryDelayMs} ms)`
            : `the call's deadlineMs (${call.deadlineMs} ms)`;
        const resetAt = new Date(until);
        throw new RateLimitError(
          {
            operation,
            status: 420,
            errors: [],
            headers: new Headers(),
            rateLimit: quotas.state(businessId, operation),
            attempts,
            resetAt,
          },
          `${operation}: not sent: its quota for business ${businessId} is used up until ${resetAt.toISOString()} ` +
            `(${Math.ceil(delayMs / 1000)} s, as an earlier response said), longer than ${bound}: ` +
            `try again after that (${attemptCount(attempts)})`,
        );
      }
      // Stryker disable next-line ConditionalExpression: only saves building the event; emit() ignores a missing hook
      if (hooks.onHeld !== undefined) {
        emit(hooks.onHeld, { operation, businessId, reason: 'quota', delayMs, until: new Date(until) });
      }
      await sleep(delayMs, call.signal);
    }
  }

  async function sendAttempt<Valid extends { businessId: number }, Result>(
    operation: Operation<Valid, Result>,
    request: ReturnType<Operation<Valid, Result>['toRequest']>,
    attempt: number,
    call: CallSettings,
    deadlineAt: number,
  ): Promise<Outcome<Result>> {
    const { signal } = call;
    const businessId = request.path.businessId;
    const limitMs = Math.max(0, Math.min(call.timeoutMs, deadlineAt - Date.now()));
    const byDeadline = limitMs < call.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, limitMs);
    const stopForwarding =
      signal === undefined ? undefined : onAbort(signal, () => controller.abort(signal.reason));
    // Stryker disable next-line ObjectLiteral: sender() sets sentAt before anything reads it
    const exchange: Exchange = { response: undefined, sentAt: 0 };
    const started = performance.now();
    let result: Awaited<ReturnType<SendRequest>>;
    try {
      const sent = send(operation.method, operation.path, {
        params: { path: request.path, query: request.query },
        body: request.body,
        parseAs: 'text', // parsed here, so a non-JSON body becomes a clear error instead of a SyntaxError
        fetch: sender(operation.name, businessId, attempt, controller.signal, exchange),
        // A multipart body needs a real Request: it adds the Content-Type with the boundary that onRequest shows.
        Request: request.body instanceof FormData ? Request : PlainRequest,
      });
      // Node's fetch honours the signal; an injected one might not, so the call does not rely on it.
      // Stryker disable next-line ConditionalExpression: Node's fetch honours the signal: untilAborted would only cost time
      result = await (injected === undefined ? sent : untilAborted(sent, controller.signal));
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      return thrownOutcome(operation.name, cause, timedOut, byDeadline, limitMs, call, exchange);
    } finally {
      clearTimeout(timer);
      stopForwarding?.();
      // Before the response's rate-limit headers are read below: their Remaining counts this request.
      quotas.settled(businessId, operation.name);
    }
    // Outside the try: a response that cannot be read is that response's problem, not a lost connection.
    const { response } = result;
    const seen = { status: response.status, headers: redactor.headers(response.headers) };
    const receivedAt = Date.now();
    const rateLimit = readRateLimit(response.headers, businessId);
    // The clock only matters for reading reset times: a plain 200 without one skips the Date header.
    if (rateLimit?.resetAt !== undefined || !response.ok) {
      const date = serverDate(response.headers);
      if (date !== undefined) clock.observe(date, exchange.sentAt, receivedAt);
    }
    if (rateLimit !== undefined) {
      lastRateLimit = rateLimit;
      const resetAtLocal =
        rateLimit.resetAt === undefined ? undefined : clock.toLocal(rateLimit.resetAt.getTime());
      quotas.observe(rateLimit, operation.name, resetAtLocal);
      // [shared limits 3/3] Known to every client sharing the store (sent with the slot's release).
      settings.sharedLimits?.observe(rateLimit, operation.name, resetAtLocal);
      // Every answer that carries Remaining is a call of ours that the counter counted (a 420 is not, but
      // its congestion starts the count over); the gate reads it while the business's limit is lowered.
      if (rateLimit.remaining !== undefined) {
        gate.admitted(businessId, operation.name, rateLimit.remaining, rateLimit.resetAt?.getTime());
      }
    }
    // Stryker disable next-line ConditionalExpression: only saves building the event; emit() ignores a missing hook
    if (hooks.onResponse !== undefined) {
      emit(hooks.onResponse, {
        operation: operation.name,
        businessId,
        attempt,
        status: response.status,
        headers: Object.fromEntries(seen.headers),
        durationMs: performance.now() - started,
      });
    }
    const resetAt = response.ok
      ? undefined
      : serverResetAt(response.status, response.headers, rateLimit, receivedAt, clock.offsetMs);
    const drift = (path: string, expected: string, got: unknown) =>
      emit(hooks.onDrift, {
        operation: operation.name,
        businessId,
        path,
        expected: redactor.text(expected),
        got: redactor.value(got),
      });
    const body = response.ok ? result.data : result.error;
    return readResponse(operation, seen, body, rateLimit, resetAt, { redactor, drift });
  }

  /** What a thrown send means: a timeout, the network, a body that could not be read, or a broken fetch. */
  function thrownOutcome(
    operation: string,
    cause: unknown,
    timedOut: boolean,
    byDeadline: boolean,
    limitMs: number,
    call: CallSettings,
    exchange: Exchange,
  ): Outcome<never> {
    const { response } = exchange;
    const final = (toError: (attempts: number) => MarketError): Outcome<never> => ({
      ok: false,
      failure: { kind: 'final', resetAt: undefined, toError },
    });
    if (timedOut && byDeadline) {
      // A timeout like any other (a write may have been delivered), whose next attempt would pass the deadline.
      return {
        ok: false,
        failure: {
          kind: 'timeout',
          resetAt: undefined,
          toError: (attempts) =>
            new DeadlineError(operation, {
              limitMs: call.deadlineMs,
              bound: 'deadlineMs',
              waitingFor: 'response',
              attempts,
            }),
        },
      };
    }
    if (timedOut) {
      return {
        ok: false,
        failure: {
          kind: 'timeout',
          resetAt: undefined,
          toError: (n, note) => new TimeoutError(operation, limitMs, n, note),
        },
      };
    }
    if (cause instanceof FetchMisuse) {
      return final(
        (attempts) =>
          new FetchError(`${operation}: ${cause.message} (${attemptCount(attempts)})`, {
            cause: cause.cause,
            attempts,
          }),
      );
    }
    if (response !== undefined) {
      const status = `HTTP ${response.status} body`;
      const seen = { status: response.status, headers: redactor.headers(response.headers) };
      // A 2xx was acted on: a write's body that cannot be read leaves its delivery unknown.
      const kind = response.ok ? 'unreadable' : 'final';
      if (cause instanceof BodyTooLargeError) {
        return unexpected(operation, seen, `${status} ${cause.message}`, [], kind);
      }
      if (isDecodingFailure(cause)) {
        return unexpected(
          operation,
          seen,
          `${status} could not be decoded: ${describeCause(cause)}`,
          [],
          kind,
        );
      }
    }
    if (exchange.sentAt === 0) {
      // openapi-fetch threw before calling fetch: the request could not even be built.
      return final(
        (attempts) =>
          new FetchError(
            `${operation}: the request could not be built (${describeCause(cause)}); nothing was sent (${attemptCount(attempts)})`,
            { cause, attempts },
          ),
      );
    }
    if (isRefusedUrl(cause)) {
      return final(
        (attempts) =>
          new FetchError(
            `${operation}: fetch refused ${baseUrl}: ${describeCause(cause)}; check baseUrl (${attemptCount(attempts)})`,
            {
              cause,
              attempts,
            },
          ),
      );
    }
    const where =
      response === undefined
        ? `no response from ${host}`
        : `the connection broke while reading the HTTP ${response.status} body from ${host}`;
    return {
      ok: false,
      failure: {
        // Stryker disable next-line StringLiteral: 'refused' acts by not being one of the kinds a write is unsure of
        kind: response === undefined && isNotConnected(cause) ? 'refused' : 'connection',
        resetAt: undefined,
        toError: (attempts, note) =>
          new ConnectionError(
            `${operation}: ${where}: ${describeCause(cause)} (${attemptCount(attempts)})${noteTail(note)}`,
            {
              cause,
              attempts,
            },
          ),
      },
    };
  }

  /** The fetch for one attempt: reports it to onRequest, ties it to the attempt's signal, caps the body. */
  function sender(
    operation: string,
    businessId: number,
    attempt: number,
    signal: AbortSignal,
    exchange: Exchange,
  ) {
    return (request: Request | PlainRequest): Promise<Response> => {
      // Stryker disable next-line ConditionalExpression: only saves building the event; emit() ignores a missing hook
      if (hooks.onRequest !== undefined) {
        emit(hooks.onRequest, {
          operation,
          businessId,
          attempt,
          method: request.method,
          url: request.url,
          headers: redactedHeaders(request.headers),
        });
      }
      exchange.sentAt = Date.now();
      return fetchOnce(request, signal).then((response) => {
        if (!isResponse(response)) {
          throw new FetchMisuse(`the injected fetch resolved to ${typeof response} instead of a Response`, {
            cause: response,
          });
        }
        exchange.response = response;
        return limitBody(response, maxResponseBytes);
      });
    };
  }

  function fetchOnce(request: Request | PlainRequest, signal: AbortSignal): Promise<unknown> {
    // The signal goes in fetch's init, not in openapi-fetch's Request: undici subscribes to the signal of
    // every Request it builds and fetch builds its own, so this pays that cost (~18 µs) once, not twice.
    const [input, init] =
      request instanceof PlainRequest ? [request.url, { ...request.init, signal }] : [request, { signal }];
    if (injected === undefined) return globalThis.fetch(input, init);
    // An injected fetch may look only at its Request, so it gets the signal on the Request.
    try {
      return Promise.resolve(injected(new Request(input, init)));
    } catch (cause) {
      return Promise.reject(new FetchMisuse('the injected fetch threw synchronously', { cause }));
    }
  }

  return {
    call,
    /** The `X-RateLimit-Resource-*` headers of the last response that carried them. */
    get lastRateLimit(): RateLimitState | undefined {
      return lastRateLimit;
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

/** The failures after which a write may have been delivered: it is not sent again (DeliveryUnknownError). */
const UNSURE_KINDS: ReadonlySet<FailureKind> = new Set(['server', 'timeout', 'connection', 'unreadable']);

/** A quota 420 whose reset has already passed says nothing useful: back off as for any other 420. */
function failureKind(failure: Failure): FailureKind {
  if (failure.kind !== 'quota') return failure.kind;
  // Stryker disable next-line OptionalChaining,StringLiteral: a quota failure always has a resetAt; 'rate-limit' acts by not being 'quota'
  return (failure.resetAt?.getTime() ?? 0) > Date.now() ? 'quota' : 'rate-limit';
}

interface Exchange {
  /** The response, once fetch resolved: a failure after that is in reading its body. */
  response: Response | undefined;
  /** Our clock when the request went out, to place the server's `Date` between send and receipt. */
  sentAt: number;
}

/** A Response by shape: one from another copy of undici (e.g. the `undici` package's fetch) is fine too. */
function isResponse(value: unknown): value is Response {
  // Stryker disable next-line ConditionalExpression: a fast path; a Response passes the checks below too
  if (value instanceof Response) return true;
  const candidate = value as Partial<Response> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.status === 'number' &&
    typeof candidate.text === 'function' &&
    typeof candidate.headers?.get === 'function'
  );
}
