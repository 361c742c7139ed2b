import createClient, { type Client } from 'openapi-fetch';
import type { ChatContextDTO, CreateChatResultDTO, paths } from '../generated/schema.ts';
import { ConnectionError } from './errors/connection-error.ts';
import type { MarketError } from './errors/market-error.ts';
import { TimeoutError } from './errors/timeout-error.ts';
import { ValidationError } from './errors/validation-error.ts';
import { emit, type MarketClientHooks } from './hooks.ts';
import { onAbort, untilAborted } from './internal/abort.ts';
import { attemptCount } from './internal/attempts.ts';
import { KeyedLimiter } from './internal/keyed-limiter.ts';
import {
  checkBaseUrl,
  checkCount,
  checkFunction,
  checkHeaderText,
  checkKnownKeys,
  checkMilliseconds,
  checkSignal,
  checkToken,
} from './internal/options.ts';
import { type Outcome, readResponse } from './internal/read-response.ts';
import { redactedHeaders } from './internal/redact.ts';
import { backoffDelayMs } from './internal/retry-delay.ts';
import { sleep } from './internal/sleep.ts';
import { validateCreateChatInput } from './internal/validate-input.ts';
import { type RateLimitState, readRateLimit } from './rate-limit.ts';

/** The production host of the Yandex Market Partner API. */
export const PRODUCTION_BASE_URL = 'https://api.partner.market.yandex.ru';

/** Yandex allows this many requests in flight per business; the client queues the rest. */
export const MAX_IN_FLIGHT_PER_BUSINESS = 4;

const CREATE_CHAT_PATH = '/v2/businesses/{businessId}/chats/new';

/**
 * Exactly one credential. Its value may be typed `string | undefined` (straight from `process.env`); a
 * missing or empty one is a ValidationError when the client is created.
 */
export type MarketCredential =
  | {
      /** An Api-Key token (scope `communication` or `all-methods`), sent as `Api-Key: <token>`. */
      apiKey: string | undefined;
      oauthToken?: undefined;
    }
  | {
      /** An OAuth token, sent as `Authorization: Bearer <token>`. Deprecated by Yandex in favour of `apiKey`. */
      oauthToken: string | undefined;
      apiKey?: undefined;
    };

export interface MarketClientSettings {
  /** Default `PRODUCTION_BASE_URL`. Must be https, except on loopback (mocks, local proxies). */
  baseUrl?: string | undefined;
  /** Retries after the first attempt, on 420/429, 500/502/503/504, connection errors and timeouts. Default 2. */
  maxRetries?: number | undefined;
  /** Limit for one attempt, from sending to the end of the body. Default 30 000 ms. */
  timeoutMs?: number | undefined;
  /**
   * The longest wait the server may ask for (`Retry-After`, the rate-limit reset); asking for longer fails
   * the call at once, saying when to come back. The client's own backoff stays within 0.5-8 s. Default 60 000 ms.
   */
  maxRetryDelayMs?: number | undefined;
  /** The fetch to use, e.g. for proxies or tests; called with one `Request`. Default `globalThis.fetch`. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** Sent as `X-Market-Integration`, so Yandex can tell your integration apart in its logs. */
  integration?: string | undefined;
  /** Observers for logs and metrics. */
  hooks?: MarketClientHooks | undefined;
}

export type MarketClientOptions = MarketCredential & MarketClientSettings;

export interface RequestOptions {
  /** Cancels the call, including a wait for a retry or for a free slot; it rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number | undefined;
}

export interface CreateChatInput {
  /** The business (cabinet) id: a positive integer, at most `Number.MAX_SAFE_INTEGER`. */
  businessId: number;
  /** The order or return to chat about. */
  context: ChatContextDTO;
}

export type CreateChatResult = CreateChatResultDTO;

export interface MarketClient {
  /**
   * Creates a chat with the customer about an order or a return, or returns the chat created before for
   * it (the call is idempotent, so retries are safe).
   */
  createChat(input: CreateChatInput, options?: RequestOptions): Promise<CreateChatResult>;
  /**
   * The `X-RateLimit-Resource-*` headers of the last response that carried them (any business: the state
   * names its `businessId`); undefined before. `resetAt` is as the server sent it.
   */
  readonly rateLimit: RateLimitState | undefined;
  /** The typed openapi-fetch client underneath, with baseUrl, credential and integration header set. */
  readonly raw: Client<paths>;
}

const CLIENT_OPTIONS = [
  'apiKey',
  'oauthToken',
  'baseUrl',
  'maxRetries',
  'timeoutMs',
  'maxRetryDelayMs',
  'fetch',
  'integration',
  'hooks',
] as const;
const REQUEST_OPTIONS = ['signal', 'maxRetries', 'timeoutMs'] as const;
const HOOKS = ['onRequest', 'onResponse', 'onRetry'] as const;

/** Creates a client. Throws a ValidationError naming the option when an option is wrong. */
export function createMarketClient(options: MarketClientOptions): MarketClient {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', 'must be an object with apiKey or oauthToken');
  }
  checkKnownKeys(options, CLIENT_OPTIONS, 'createMarketClient');
  const headers = credentialHeaders(options);
  if (options.integration !== undefined) {
    headers['X-Market-Integration'] = checkHeaderText('integration', options.integration);
  }
  const baseUrl = checkBaseUrl(options.baseUrl ?? PRODUCTION_BASE_URL);
  const defaults = {
    maxRetries: checkCount('maxRetries', options.maxRetries ?? 2),
    timeoutMs: checkMilliseconds('timeoutMs', options.timeoutMs ?? 30_000, { allowZero: false }),
  };
  const maxRetryDelayMs = checkMilliseconds('maxRetryDelayMs', options.maxRetryDelayMs ?? 60_000, {
    allowZero: true,
  });
  const baseFetch = checkFunction(
    'fetch',
    options.fetch ?? ((request: Request) => globalThis.fetch(request)),
  );
  const hooks = options.hooks ?? {};
  if (typeof hooks !== 'object' || hooks === null) throw new ValidationError('hooks', 'must be an object');
  checkKnownKeys(hooks, HOOKS, 'hooks');
  for (const name of HOOKS) if (hooks[name] !== undefined) checkFunction(`hooks.${name}`, hooks[name]);

  // Redirects are not followed: fetch would resend the Api-Key header to wherever the server points.
  const raw = createClient<paths>({ baseUrl, fetch: baseFetch, headers, redirect: 'manual' });
  const limiter = new KeyedLimiter<number>(MAX_IN_FLIGHT_PER_BUSINESS);
  let lastRateLimit: RateLimitState | undefined;

  async function sendAttempt(
    { businessId, context }: ReturnType<typeof validateCreateChatInput>,
    attempt: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Outcome> {
    const release = await limiter.acquire(businessId, signal);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const stopForwarding =
      signal === undefined ? undefined : onAbort(signal, () => controller.abort(signal.reason));
    const started = performance.now();
    let exchange: { response: Response; body: unknown; durationMs: number };
    try {
      const sent = raw.POST(CREATE_CHAT_PATH, {
        params: { path: { businessId } },
        body: { context },
        parseAs: 'text', // parsed here, so a non-JSON body becomes a clear error instead of a SyntaxError
        fetch: sender(attempt, controller.signal),
      });
      // Node's fetch honours the signal; an injected one might not, so the call does not rely on it.
      const { data, error, response } = await (options.fetch === undefined
        ? sent
        : untilAborted(sent, controller.signal));
      exchange = { response, body: response.ok ? data : error, durationMs: performance.now() - started };
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      if (timedOut) return failed((attempts) => new TimeoutError(timeoutMs, attempts));
      return failed(
        (attempts) =>
          new ConnectionError(
            `createChat: no response from ${new URL(baseUrl).host}: ${describeCause(cause)} (${attemptCount(attempts)})`,
            { cause, attempts },
          ),
      );
    } finally {
      clearTimeout(timer);
      stopForwarding?.();
      release();
    }
    // Outside the try: a response that cannot be read is that response's problem, not a lost connection.
    const { response, body, durationMs } = exchange;
    const rateLimit = readRateLimit(response.headers, businessId);
    if (rateLimit !== undefined) lastRateLimit = rateLimit;
    if (hooks.onResponse !== undefined) {
      emit(hooks.onResponse, {
        attempt,
        status: response.status,
        headers: Object.fromEntries(response.headers),
        durationMs,
      });
    }
    return readResponse(response, body, rateLimit, Date.now());
  }

  /** The fetch for one attempt: reports it to onRequest and ties it to the attempt's signal. */
  function sender(attempt: number, signal: AbortSignal) {
    return (request: Request): Promise<Response> => {
      if (hooks.onRequest !== undefined) {
        emit(hooks.onRequest, {
          attempt,
          method: request.method,
          url: request.url,
          headers: redactedHeaders(request.headers),
        });
      }
      // The signal goes in fetch's init, not in openapi-fetch's Request: undici subscribes to the signal of
      // every Request it builds and fetch builds its own, so this pays that cost (~18 µs) once, not twice.
      // An injected fetch may look only at its Request, so it gets the signal on the Request.
      if (options.fetch === undefined) return globalThis.fetch(request, { signal });
      return baseFetch(new Request(request, { signal }));
    };
  }

  async function createChat(input: CreateChatInput, options: RequestOptions = {}): Promise<CreateChatResult> {
    const call = callOptions(options, defaults);
    const valid = validateCreateChatInput(input);
    call.signal?.throwIfAborted();
    for (let attempt = 1; ; attempt++) {
      const outcome = await sendAttempt(valid, attempt, call.timeoutMs, call.signal);
      if (outcome.ok) return { chatId: outcome.chatId };
      const { failure } = outcome;
      if (!failure.retryable || attempt > call.maxRetries) throw failure.toError(attempt);
      const askedMs = failure.resetAt === undefined ? undefined : failure.resetAt.getTime() - Date.now();
      if (askedMs !== undefined && askedMs > maxRetryDelayMs) {
        const note =
          `the server asks to wait until ${failure.resetAt?.toISOString()} (${Math.ceil(askedMs / 1000)} s), ` +
          `longer than maxRetryDelayMs (${maxRetryDelayMs} ms): try again after that`;
        throw failure.toError(attempt, note);
      }
      const delayMs = askedMs !== undefined && askedMs > 0 ? askedMs : backoffDelayMs(attempt);
      if (hooks.onRetry !== undefined)
        emit(hooks.onRetry, { attempt, delayMs, reason: failure.toError(attempt) });
      await sleep(delayMs, call.signal);
    }
  }

  return {
    createChat,
    get rateLimit() {
      return lastRateLimit;
    },
    raw,
  };
}

function credentialHeaders(options: MarketClientOptions): Record<string, string> {
  const { apiKey, oauthToken } = options;
  if (apiKey !== undefined && oauthToken !== undefined) {
    throw new ValidationError('apiKey', 'and oauthToken are exclusive: give one of them');
  }
  if (apiKey !== undefined) return { 'Api-Key': checkToken('apiKey', apiKey) };
  if (oauthToken !== undefined) return { Authorization: `Bearer ${checkToken('oauthToken', oauthToken)}` };
  throw new ValidationError('apiKey', 'is required (or oauthToken): got neither; is MARKET_API_KEY set?');
}

function callOptions(options: RequestOptions, defaults: { maxRetries: number; timeoutMs: number }) {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', 'must be an object (signal, maxRetries, timeoutMs)');
  }
  checkKnownKeys(options, REQUEST_OPTIONS, 'createChat');
  return {
    signal: options.signal === undefined ? undefined : checkSignal(options.signal),
    maxRetries: checkCount('maxRetries', options.maxRetries ?? defaults.maxRetries),
    timeoutMs: checkMilliseconds('timeoutMs', options.timeoutMs ?? defaults.timeoutMs, { allowZero: false }),
  };
}

function failed(toError: (attempts: number) => MarketError): Outcome {
  return { ok: false, failure: { retryable: true, resetAt: undefined, toError } };
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause as { code?: unknown; message?: unknown } | undefined;
  const detail =
    typeof inner?.code === 'string' ? inner.code : typeof inner?.message === 'string' ? inner.message : '';
  return detail === '' ? cause.message : `${cause.message} (${detail})`;
}
