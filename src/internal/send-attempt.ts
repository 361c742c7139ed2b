// One attempt of a call: sends the request (within the attempt's timeout, cut short by the call's
// deadline), notes what the answer says of the limits, and reads it into an outcome. A send that throws
// becomes an outcome too (thrown-send.ts); only the caller's abort is thrown.
import { emit } from '../hooks.ts';
import { onAbort, untilAborted } from './abort.ts';
import { limitBody } from './body-limit.ts';
import { type CallState, callEvent, type EngineParts } from './engine-parts.ts';
import type { BusinessInput, Operation, OperationRequest } from './operation.ts';
import { PlainRequest } from './plain-request.ts';
import { readRateLimit } from './read-rate-limit.ts';
import { type Outcome, readResponse } from './read-response.ts';
import { redactedHeaders } from './redact.ts';
import { serverDate, serverResetAt } from './retry-delay.ts';
import type { SendRequest } from './send-request.ts';
import { type Exchange, FetchMisuse, thrownOutcome } from './thrown-send.ts';

/** Sends attempt number `call.sent` of the call; resolves to its outcome, rejects only with an abort's reason. */
export async function sendAttempt<Valid extends BusinessInput, Result>(
  parts: EngineParts,
  call: CallState,
  operation: Operation<BusinessInput, Result, Valid>,
  request: OperationRequest,
): Promise<Outcome<Result>> {
  const { settings, quotas, clock, gate, redactor } = parts;
  const { signal, timeoutMs } = call.settings;
  const { businessId } = call;
  const limitMs = Math.max(0, Math.min(timeoutMs, call.deadlineAt - Date.now()));
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
    const sent = parts.send(operation.method, operation.path, {
      params: { path: request.path, query: request.query },
      body: request.body, // read as text and parsed here, so a non-JSON body becomes a clear error
      fetch: sender(parts, call, controller.signal, exchange),
      // A multipart body needs a real Request: it adds the Content-Type with the boundary that onRequest shows.
      Request: request.body instanceof FormData ? Request : PlainRequest,
    });
    // Node's fetch honours the signal; an injected one might not, so the call does not rely on it.
    // Stryker disable next-line ConditionalExpression: Node's fetch honours the signal: untilAborted would only cost time
    result = await (settings.fetch === undefined ? sent : untilAborted(sent, controller.signal));
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    return thrownOutcome(parts, call, cause, timedOut ? limitMs : undefined, exchange);
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
    parts.lastRateLimit = rateLimit;
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
  const attempt = call.sent;
  emit(settings.hooks.onResponse, () => ({
    ...callEvent(call),
    attempt,
    status: response.status,
    headers: Object.fromEntries(seen.headers),
    durationMs: performance.now() - started,
  }));
  const resetAt = response.ok
    ? undefined
    : serverResetAt(response.status, response.headers, rateLimit, receivedAt, clock.offsetMs);
  const drift = (path: string, expected: string, got: unknown) =>
    emit(settings.hooks.onDrift, () => ({
      ...callEvent(call),
      path,
      expected: redactor.text(expected),
      got: redactor.value(got),
    }));
  const body = response.ok ? result.data : result.error;
  return readResponse(operation, seen, body, rateLimit, resetAt, { redactor, drift });
}

/** The fetch for one attempt: reports it to onRequest, ties it to the attempt's signal, caps the body. */
function sender(parts: EngineParts, call: CallState, signal: AbortSignal, exchange: Exchange) {
  const attempt = call.sent;
  return (request: Request | PlainRequest): Promise<Response> => {
    emit(parts.settings.hooks.onRequest, () => ({
      ...callEvent(call),
      attempt,
      method: request.method,
      url: request.url,
      headers: redactedHeaders(request.headers),
    }));
    exchange.sentAt = Date.now();
    return fetchOnce(parts.settings.fetch, request, signal).then((response) => {
      if (!isResponse(response)) {
        throw new FetchMisuse(`the injected fetch resolved to ${typeof response} instead of a Response`, {
          cause: response,
        });
      }
      exchange.response = response;
      return limitBody(response, parts.settings.maxResponseBytes);
    });
  };
}

function fetchOnce(
  injected: ((request: Request) => Promise<Response>) | undefined,
  request: Request | PlainRequest,
  signal: AbortSignal,
): Promise<unknown> {
  // The signal goes in fetch's init, not in the sender's Request: undici subscribes to the signal of
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
