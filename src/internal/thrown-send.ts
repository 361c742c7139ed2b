// What a send that threw means for the call: a timeout, the network, a body that could not be read, or an
// injected fetch that broke its contract; each an outcome the call loop decides on like a response's.

import { attemptCount, noteTail } from '../base/attempts.ts';
import { ConnectionError } from '../errors/connection-error.ts';
import { DeadlineError } from '../errors/deadline-error.ts';
import { FetchError } from '../errors/fetch-error.ts';
import type { MarketError } from '../errors/market-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import { BodyTooLargeError } from './body-limit.ts';
import type { CallState, EngineParts } from './engine-parts.ts';
import { describeCause, isDecodingFailure, isNotConnected, isRefusedUrl } from './fetch-failure.ts';
import { type Outcome, unexpected } from './read-response.ts';

/** Not a network failure: the injected fetch broke its contract. */
export class FetchMisuse extends Error {}

/** What is known of one attempt's exchange when its send throws. */
export interface Exchange {
  /** The response, once fetch resolved: a failure after that is in reading its body. */
  response: Response | undefined;
  /** Our clock when the request went out (0 before), to place the server's `Date` between send and receipt. */
  sentAt: number;
}

/**
 * What a thrown send means: a timeout, the network, a body that could not be read, or a broken fetch.
 * `timedOutAfterMs` is the attempt's time limit if it ran out (undefined otherwise).
 */
export function thrownOutcome(
  parts: EngineParts,
  call: CallState,
  cause: unknown,
  timedOutAfterMs: number | undefined,
  exchange: Exchange,
): Outcome<never> {
  const { operation } = call;
  const { response } = exchange;
  const final = (toError: (attempts: number) => MarketError): Outcome<never> => ({
    ok: false,
    failure: { kind: 'final', resetAt: undefined, toError },
  });
  // A limit shorter than timeoutMs was what was left of the deadline.
  if (timedOutAfterMs !== undefined && timedOutAfterMs < call.settings.timeoutMs) {
    // A timeout like any other (a write may have been delivered), whose next attempt would pass the deadline.
    return {
      ok: false,
      failure: {
        kind: 'timeout',
        resetAt: undefined,
        toError: (attempts) =>
          new DeadlineError(operation, {
            limitMs: call.settings.deadlineMs,
            bound: 'deadlineMs',
            waitingFor: 'response',
            attempts,
          }),
      },
    };
  }
  if (timedOutAfterMs !== undefined) {
    return {
      ok: false,
      failure: {
        kind: 'timeout',
        resetAt: undefined,
        toError: (n, note) => new TimeoutError(operation, timedOutAfterMs, n, note),
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
    const seen = { status: response.status, headers: parts.redactor.headers(response.headers) };
    // A 2xx was acted on: a write's body that cannot be read leaves its delivery unknown.
    const kind = response.ok ? 'unreadable' : 'final';
    if (cause instanceof BodyTooLargeError) {
      return unexpected(operation, seen, `${status} ${cause.message}`, [], kind);
    }
    if (isDecodingFailure(cause)) {
      return unexpected(operation, seen, `${status} could not be decoded: ${describeCause(cause)}`, [], kind);
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
          `${operation}: fetch refused ${parts.settings.baseUrl}: ${describeCause(cause)}; check baseUrl (${attemptCount(attempts)})`,
          { cause, attempts },
        ),
    );
  }
  const where =
    response === undefined
      ? `no response from ${parts.host}`
      : `the connection broke while reading the HTTP ${response.status} body from ${parts.host}`;
  return {
    ok: false,
    failure: {
      // Stryker disable next-line StringLiteral: 'refused' acts by not being one of the kinds a write is unsure of
      kind: response === undefined && isNotConnected(cause) ? 'refused' : 'connection',
      resetAt: undefined,
      toError: (attempts, note) =>
        new ConnectionError(
          `${operation}: ${where}: ${describeCause(cause)} (${attemptCount(attempts)})${noteTail(note)}`,
          { cause, attempts },
        ),
    },
  };
}
