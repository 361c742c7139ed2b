import { operationRules } from '../generated/rules.ts';
import type { ChatFullContextDTO, ChatMessageDTO, GetChatInfoDTO } from '../generated/schema.ts';
import type { RateLimitState } from './base/rate-limit.ts';
import type { SharedLimits } from './base/shared-limits.ts';
import { ValidationError } from './errors/validation-error.ts';
import { HOOK_NAMES, type MarketClientHooks } from './hooks.ts';
import { connection, type MarketCredential } from './internal/connection.ts';
import { type BusinessLimits, type CallSettings, createEngine } from './internal/engine.ts';
import type { BusinessInput, Operation } from './internal/operation.ts';
import { check } from './internal/operation-input.ts';
import {
  checkCount,
  checkFunction,
  checkKnownKeys,
  checkMilliseconds,
  checkSignal,
} from './internal/options.ts';
import { type PageIterator, paginate } from './internal/paginate.ts';
import { type CreateChatInput, type CreateChatResult, createChat } from './operations/create-chat.ts';
import { type GetChatInput, getChat } from './operations/get-chat.ts';
import {
  type ChatHistoryPage,
  type GetChatHistoryInput,
  getChatHistory,
} from './operations/get-chat-history.ts';
import { type GetChatMessageInput, getChatMessage } from './operations/get-chat-message.ts';
import { type ChatsFilter, type ChatsPage, type GetChatsInput, getChats } from './operations/get-chats.ts';
import { type SendFileToChatInput, sendFileToChat } from './operations/send-file-to-chat.ts';
import { type SendMessageToChatInput, sendMessageToChat } from './operations/send-message-to-chat.ts';

export type { PageIterator } from './internal/paginate.ts';
export type { CreateChatInput, CreateChatResult } from './operations/create-chat.ts';
export type { GetChatInput } from './operations/get-chat.ts';
export type { ChatHistoryPage, GetChatHistoryInput } from './operations/get-chat-history.ts';
export type { GetChatMessageInput } from './operations/get-chat-message.ts';
export type { ChatsFilter, ChatsPage, GetChatsInput } from './operations/get-chats.ts';
export { MAX_FILE_BYTES, type SendFileToChatInput } from './operations/send-file-to-chat.ts';
export type { SendMessageToChatInput } from './operations/send-message-to-chat.ts';

export interface IterateChatsInput {
  businessId: number;
  filter?: ChatsFilter | undefined;
  /** Chats per request, 1 to 20; the API's default is 10. */
  pageSize?: number | undefined;
  /** Resume from this page (an earlier iterator's `pageToken`). */
  pageToken?: string | undefined;
}

export interface IterateChatHistoryInput {
  businessId: number;
  chatId: number;
  /** Start from this message: passed to the API as is (see GetChatHistoryInput.messageIdFrom). */
  messageIdFrom?: number | undefined;
  /** Messages per request, 1 to 100; the API's default is 50. */
  pageSize?: number | undefined;
  /** Resume from this page (an earlier iterator's `pageToken`). */
  pageToken?: string | undefined;
}

/** The messages of a chat, page after page, with what the chat is about. */
export interface ChatHistoryIterator extends PageIterator<ChatMessageDTO> {
  /** The chat's context, from the latest page read; undefined before the first page. */
  readonly context: ChatFullContextDTO | undefined;
}

export { type MarketCredential, PRODUCTION_BASE_URL } from './internal/connection.ts';

/** Yandex allows this many requests in flight per business; the client queues the rest. */
export const MAX_IN_FLIGHT_PER_BUSINESS = 4;

export interface MarketClientSettings {
  /** Default `PRODUCTION_BASE_URL`. Must be https, except on loopback (mocks, local proxies). */
  baseUrl?: string | undefined;
  /**
   * Allow a plain `http://` baseUrl to a host that is not loopback, such as the test kit's mock in another
   * container (`yandex-market-chats mock --host 0.0.0.0`). For tests only: http sends the key in clear.
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * Retries after the first attempt, on 500/502/503/504, connection errors and timeouts (writes only where
   * the API surely did not act). 420/429 answers use `maxRateLimitResends` instead. Default 2.
   */
  maxRetries?: number | undefined;
  /**
   * How often a call sends its request again after 420/429 answers (after the wait they ask for); past it
   * the call fails with a RateLimitError. Waiting for quota or a slot before sending is no re-send.
   * Default 9: a call that only ever gets 420 sends at most 10 requests.
   */
  maxRateLimitResends?: number | undefined;
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
  /**
   * In-flight slots and quota windows shared with other clients, e.g. other replicas of the service:
   * `createRedisStore(...).limits` from `yandex-market-chats-client/redis`. Default: this client's own.
   */
  sharedLimits?: SharedLimits | undefined;
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
  /** Overrides the client's `maxRateLimitResends` for this call. */
  maxRateLimitResends?: number | undefined;
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
  /** One page of the business's chats, optionally filtered. A read (retried). Quota: 5,000 an hour. */
  getChats(input: GetChatsInput, options?: RequestOptions): Promise<ChatsPage>;
  /**
   * Every chat of the business, page after page (`for await`). `timeoutMs`, `maxRetries` and `deadlineMs`
   * apply to each page's call (the time your loop spends on the items counts against none of them); the
   * signal to the whole iteration. Input is checked at once.
   */
  iterateChats(input: IterateChatsInput, options?: RequestOptions): PageIterator<GetChatInfoDTO>;
  /** One chat. A read (retried). Quota: 1,000 an hour. */
  getChat(input: GetChatInput, options?: RequestOptions): Promise<GetChatInfoDTO>;
  /**
   * One page of a chat's messages, in the order the API returns them, from `messageIdFrom` if
   * given. A read (retried). Quota: 10,000 an hour.
   */
  getChatHistory(input: GetChatHistoryInput, options?: RequestOptions): Promise<ChatHistoryPage>;
  /** Every message of a chat, page after page (`for await`), as getChatHistory returns them; see iterateChats. */
  iterateChatHistory(input: IterateChatHistoryInput, options?: RequestOptions): ChatHistoryIterator;
  /** One message. A read (retried). Quota: 1,000 an hour. */
  getChatMessage(input: GetChatMessageInput, options?: RequestOptions): Promise<ChatMessageDTO>;
  /**
   * Sends a message the customer sees. Never sent twice: retried only when the API surely did not act (a
   * 420/429, a refused connection); after a lost answer it rejects with DeliveryUnknownError. Quota: 1,000 an hour.
   */
  sendMessageToChat(input: SendMessageToChatInput, options?: RequestOptions): Promise<void>;
  /** Sends a file the customer sees (at most 5,000,000 bytes), as sendMessageToChat does a message. */
  sendFileToChat(input: SendFileToChatInput, options?: RequestOptions): Promise<void>;
  /**
   * The `X-RateLimit-Resource-*` headers of the last response that carried them (any business and
   * operation: the state names its `businessId`); undefined before. `resetAt` is as the server sent it.
   * See `limits()` for the state of one business and operation.
   */
  readonly rateLimit: RateLimitState | undefined;
  /**
   * What the client knows of a business's limits: its in-flight slots (limit, in use, waiting) and each
   * called operation's quota as the last response of that operation said, while its window runs (a
   * business idle past its windows is forgotten at the next call).
   */
  limits(businessId: number): BusinessLimits;
}

const CLIENT_OPTIONS = [
  'apiKey',
  'oauthToken',
  'baseUrl',
  'allowInsecureHttp',
  'maxRetries',
  'maxRateLimitResends',
  'timeoutMs',
  'deadlineMs',
  'maxRetryDelayMs',
  'maxResponseBytes',
  'fetch',
  'integration',
  'hooks',
  'sharedLimits',
] as const;
const REQUEST_OPTIONS = ['signal', 'maxRetries', 'maxRateLimitResends', 'timeoutMs', 'deadlineMs'] as const;

/** Creates a client. Throws a ValidationError naming the option when an option is wrong. */
export function createMarketClient(options: MarketClientOptions): MarketClient {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('options', 'must be an object with apiKey or oauthToken');
  }
  checkKnownKeys(options, CLIENT_OPTIONS, 'createMarketClient');
  const { baseUrl, headers } = connection(options);
  const defaults = {
    maxRetries: checkCount('maxRetries', options.maxRetries ?? 2),
    maxRateLimitResends: checkCount('maxRateLimitResends', options.maxRateLimitResends ?? 9),
    // Stryker disable next-line ObjectLiteral: `{}` leaves allowZero undefined, which checkMilliseconds reads as false, as given
    timeoutMs: checkMilliseconds('timeoutMs', options.timeoutMs ?? 30_000, { allowZero: false }),
    // Stryker disable next-line ObjectLiteral: `{}` leaves allowZero undefined, which checkMilliseconds reads as false, as given
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
  const { sharedLimits } = options;
  if (sharedLimits !== undefined) {
    if (typeof sharedLimits !== 'object' || sharedLimits === null) {
      throw new ValidationError(
        'sharedLimits',
        "must be a store's limits, e.g. createRedisStore(...).limits",
      );
    }
    checkFunction('sharedLimits.enter', sharedLimits.enter);
    checkFunction('sharedLimits.observe', sharedLimits.observe);
  }

  const engine = createEngine({
    baseUrl,
    headers,
    fetch,
    hooks,
    maxRetryDelayMs,
    maxResponseBytes,
    maxInFlight: MAX_IN_FLIGHT_PER_BUSINESS,
    sharedLimits,
  });
  /** A public method: checks the options and the input (nothing is sent when either is wrong), then calls. */
  function method<Input extends BusinessInput, Result, Valid extends BusinessInput>(
    operation: Operation<Input, Result, Valid>,
  ) {
    return async (input: Input, options: RequestOptions = {}): Promise<Result> => {
      const call = callSettings(options, defaults, operation.name);
      return engine.call(operation, operation.validate(input), call);
    };
  }
  function iterateChats(
    input: IterateChatsInput,
    options: RequestOptions = {},
  ): PageIterator<GetChatInfoDTO> {
    const call = callSettings(options, defaults, 'iterateChats');
    const { pageSize, ...rest } = pageInput(
      input,
      operationRules.getChats.parameters.limit.schema,
      'iterateChats',
      ['businessId', 'filter', 'pageSize', 'pageToken'],
    );
    const first = getChats.validate({ ...rest, limit: pageSize });
    return paginate(
      'getChats',
      call,
      first.pageToken,
      (pageToken, pageCall) => engine.call(getChats, { ...first, pageToken }, pageCall),
      (page) => page.chats,
      engine.redactor,
    );
  }

  function iterateChatHistory(
    input: IterateChatHistoryInput,
    options: RequestOptions = {},
  ): ChatHistoryIterator {
    const call = callSettings(options, defaults, 'iterateChatHistory');
    const { pageSize, ...rest } = pageInput(
      input,
      operationRules.getChatHistory.parameters.limit.schema,
      'iterateChatHistory',
      ['businessId', 'chatId', 'messageIdFrom', 'pageSize', 'pageToken'],
    );
    const first = getChatHistory.validate({ ...rest, limit: pageSize });
    let context: ChatFullContextDTO | undefined;
    const pages = paginate(
      'getChatHistory',
      call,
      first.pageToken,
      async (pageToken, pageCall) => {
        const page = await engine.call(getChatHistory, { ...first, pageToken }, pageCall);
        context = page.context;
        return page;
      },
      (page) => page.messages,
      engine.redactor,
    );
    return {
      get context() {
        return context;
      },
      get pageToken() {
        return pages.pageToken;
      },
      [Symbol.asyncIterator]: () => pages[Symbol.asyncIterator](),
    };
  }

  return {
    createChat: method(createChat),
    getChats: method(getChats),
    iterateChats,
    getChat: method(getChat),
    getChatHistory: method(getChatHistory),
    iterateChatHistory,
    getChatMessage: method(getChatMessage),
    sendMessageToChat: method(sendMessageToChat),
    sendFileToChat: method(sendFileToChat),
    get rateLimit() {
      return engine.lastRateLimit;
    },
    limits: (businessId) => engine.limits(businessId),
  };
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
    maxRateLimitResends: checkCount(
      'maxRateLimitResends',
      options.maxRateLimitResends ?? defaults.maxRateLimitResends,
    ),
    // Stryker disable next-line ObjectLiteral: `{}` leaves allowZero undefined, which checkMilliseconds reads as false, as given
    timeoutMs: checkMilliseconds('timeoutMs', options.timeoutMs ?? defaults.timeoutMs, { allowZero: false }),
    // Stryker disable next-line ObjectLiteral: `{}` leaves allowZero undefined, which checkMilliseconds reads as false, as given
    deadlineMs: checkMilliseconds('deadlineMs', options.deadlineMs ?? defaults.deadlineMs, {
      allowZero: false,
    }),
  };
}

/**
 * An iterator's input: an object of the iterator's own keys (`limit` is refused, pointing at `pageSize`,
 * instead of being ignored) whose `pageSize` is checked by the page limit's rule, under its own name.
 */
function pageInput<T extends { pageSize?: number | undefined }>(
  input: T,
  limitRule: Parameters<typeof check>[0],
  method: string,
  known: readonly string[],
): T {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError('input', 'must be an object with businessId');
  }
  for (const key of Object.keys(input)) {
    if (known.includes(key)) continue;
    const hint = key === 'limit' ? ': the page size is pageSize' : '';
    throw new ValidationError(key, `is not a field of ${method}${hint} (known: ${known.join(', ')})`);
  }
  if (input.pageSize !== undefined) check(limitRule, input.pageSize, 'pageSize');
  return input;
}
