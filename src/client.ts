import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.ts';
import { ValidationError } from './errors/validation-error.ts';
import { HOOK_NAMES, type MarketClientHooks } from './hooks.ts';
import { type BusinessLimits, type CallSettings, createEngine } from './internal/engine.ts';
import type { Operation } from './internal/operation.ts';
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
import { type CreateChatInput, type CreateChatResult, createChat } from './operations/create-chat.ts';
import type { RateLimitState } from './rate-limit.ts';

export type { CreateChatInput, CreateChatResult } from './operations/create-chat.ts';

/** The production host of the Yandex Market Partner API. */
export const PRODUCTION_BASE_URL = 'https://api.partner.market.yandex.ru';

/** Yandex allows this many requests in flight per business; the client queues the rest. */
export const MAX_IN_FLIGHT_PER_BUSINESS = 4;

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
  /**
   * Retries after the first attempt, on 420/429 without a reset time, 500/502/503/504, connection errors
   * and timeouts (writes only where the API surely did not act). Waiting for quota or for an in-flight slot,
   * and a 420 sent again after its wait, use none of them. Default 2.
   */
  maxRetries?: number | undefined;
  /** Limit for one attempt, from sending to the end of the body. Default 30 000 ms. */
  timeoutMs?: number | undefined;
  /**
   * The whole call's limit, from the call to its result: slot queue, quota holds, retry waits and every
   * attempt. Past it the call fails with a DeadlineError (or, if a known wait would pass it, at once with
   * the error that asked for the wait). Default 300 000 ms (5 minutes), so that no call waits forever.
   */
  deadlineMs?: number | undefined;
  /**
   * The longest single wait: what the server may ask for (`Retry-After`, a quota reset) and what a call may
   * wait for an in-flight slot. A longer one fails the call at once, saying when to come back. The
   * client's own backoff stays within 0.5-8 s. Default 60 000 ms.
   */
  maxRetryDelayMs?: number | undefined;
  /** Responses with a larger body are refused (UnexpectedResponseError) without reading it all. Default 10 MiB. */
  maxResponseBytes?: number | undefined;
  /** The fetch to use, e.g. for proxies or tests; called with one `Request`. Default `globalThis.fetch`. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** Sent as `X-Market-Integration`, so Yandex can tell your integration apart in its logs. */
  integration?: string | undefined;
  /** Observers for logs and metrics. */
  hooks?: MarketClientHooks | undefined;
}

export type MarketClientOptions = MarketCredential & MarketClientSettings;

export interface RequestOptions {
  /**
   * Cancels the call, including a wait for a retry, for quota or for a free slot. Like fetch, the call then
   * rejects with the signal's reason (a DOMException `AbortError`, or `TimeoutError` for
   * `AbortSignal.timeout()`), not with a MarketError. Use `deadlineMs` for a time limit that rejects with
   * a MarketError (DeadlineError).
   */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number | undefined;
  /** Overrides the client's `deadlineMs` for this call. */
  deadlineMs?: number | undefined;
}

export interface MarketClient {
  /**
   * Creates a chat with the customer about an order or a return, or returns the chat created before for
   * it (the call is idempotent, so retries are safe).
   */
  createChat(input: CreateChatInput, options?: RequestOptions): Promise<CreateChatResult>;
  /**
   * The `X-RateLimit-Resource-*` headers of the last response that carried them (any business and
   * operation: the state names its `businessId`); undefined before. `resetAt` is as the server sent it.
   * See `limits()` for the state of one business and operation.
   */
  readonly rateLimit: RateLimitState | undefined;
  /**
   * What the client knows of a business's limits: its in-flight slots (limit, in use, waiting) and each
   * called operation's quota as the last response of that operation said.
   */
  limits(businessId: number): BusinessLimits;
  /**
   * The typed openapi-fetch client underneath, with baseUrl, credential and integration header set. It
   * bypasses the engine: no validation, slots, quota holds, retries, timeouts, typed errors or hooks.
   */
  readonly raw: Client<paths>;
}

const CLIENT_OPTIONS = [
  'apiKey',
  'oauthToken',
  'baseUrl',
  'maxRetries',
  'timeoutMs',
  'deadlineMs',
  'maxRetryDelayMs',
  'maxResponseBytes',
  'fetch',
  'integration',
  'hooks',
] as const;
const REQUEST_OPTIONS = ['signal', 'maxRetries', 'timeoutMs', 'deadlineMs'] as const;

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
    deadlineMs: checkMilliseconds('deadlineMs', options.deadlineMs ?? 300_000, { allowZero: false }),
  };
  const maxRetryDelayMs = checkMilliseconds('maxRetryDelayMs', options.maxRetryDelayMs ?? 60_000, {
    allowZero: true,
  });
  const maxResponseBytes = checkCount('maxResponseBytes', options.maxResponseBytes ?? 10 * 1024 * 1024);
  const fetch = options.fetch === undefined ? undefined : checkFunction('fetch', options.fetch);
  const hooks = options.hooks ?? {};
  if (typeof hooks !== 'object' || hooks === null) throw new ValidationError('hooks', 'must be an object');
  checkKnownKeys(hooks, HOOK_NAMES, 'hooks');
  for (const name of HOOK_NAMES) if (hooks[name] !== undefined) checkFunction(`hooks.${name}`, hooks[name]);

  const engine = createEngine({
    baseUrl,
    headers,
    fetch,
    hooks,
    maxRetryDelayMs,
    maxResponseBytes,
    maxInFlight: MAX_IN_FLIGHT_PER_BUSINESS,
  });
  /** A public method: checks the options and the input (nothing is sent when either is wrong), then calls. */
  function method<Input, Valid extends { businessId: number }, Result>(operation: Operation<Valid, Result>) {
    return async (input: Input, options: RequestOptions = {}): Promise<Result> => {
      const call = callSettings(options, defaults, operation.name);
      return engine.call(operation, operation.validate(input), call);
    };
  }
  // Redirects are not followed: fetch would resend the Api-Key header to wherever the server points.
  const raw = createClient<paths>({
    baseUrl,
    headers,
    redirect: 'manual',
    fetch: fetch ?? ((request: Request) => globalThis.fetch(request)),
  });

  return {
    createChat: method<CreateChatInput, Parameters<typeof createChat.toRequest>[0], CreateChatResult>(
      createChat,
    ),
    get rateLimit() {
      return engine.lastRateLimit;
    },
    limits: (businessId) => engine.limits(businessId),
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

function callSettings(
  options: RequestOptions,
  defaults: Omit<CallSettings, 'signal'>,
  operation: string,
): CallSettings {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', `must be an object (${REQUEST_OPTIONS.join(', ')})`);
  }
  checkKnownKeys(options, REQUEST_OPTIONS, operation);
  return {
    signal: options.signal === undefined ? undefined : checkSignal(options.signal),
    maxRetries: checkCount('maxRetries', options.maxRetries ?? defaults.maxRetries),
    timeoutMs: checkMilliseconds('timeoutMs', options.timeoutMs ?? defaults.timeoutMs, { allowZero: false }),
    deadlineMs: checkMilliseconds('deadlineMs', options.deadlineMs ?? defaults.deadlineMs, {
      allowZero: false,
    }),
  };
}
