// The public surface of the package. Everything else under src/internal is private and may change.

export {
  type ApiErrorDTO,
  type ApiErrorResponse,
  type ApiResponseStatusType,
  type ChatContextDTO,
  type ChatContextIdentifiableType,
  type ChatContextType,
  type ChatCustomerDTO,
  type ChatFullContextDTO,
  type ChatMessageDTO,
  type ChatMessagePayloadDTO,
  type ChatMessageSenderType,
  type ChatStatusType,
  type ChatType,
  type CreateChatRequest,
  type CreateChatResponse,
  type CreateChatResultDTO,
  chatContextIdentifiableTypeValues,
  chatContextTypeValues,
  chatMessageSenderTypeValues,
  chatStatusTypeValues,
  chatTypeValues,
  type components,
  type GetChatInfoDTO,
  type operations,
  type paths,
} from '../generated/schema.ts';
export type { RateLimitState } from './base/rate-limit.ts';
export type { SharedEntry, SharedLimits, SharedOutcome, SharedSlot } from './base/shared-limits.ts';
export {
  type ChatHistoryIterator,
  type ChatHistoryPage,
  type ChatsFilter,
  type ChatsPage,
  type CreateChatInput,
  type CreateChatResult,
  createMarketClient,
  type GetChatHistoryInput,
  type GetChatInput,
  type GetChatMessageInput,
  type GetChatsInput,
  type IterateChatHistoryInput,
  type IterateChatsInput,
  MAX_FILE_BYTES,
  MAX_IN_FLIGHT_PER_BUSINESS,
  type MarketClient,
  type MarketClientOptions,
  type MarketClientSettings,
  type MarketCredential,
  type PageIterator,
  PRODUCTION_BASE_URL,
  type RequestOptions,
  type SendFileToChatInput,
  type SendMessageToChatInput,
} from './client.ts';
export { ApiError } from './errors/api-error.ts';
export { BadRequestError } from './errors/bad-request-error.ts';
export { ConnectionError } from './errors/connection-error.ts';
export { DeadlineError } from './errors/deadline-error.ts';
export { DeliveryUnknownError } from './errors/delivery-unknown-error.ts';
export { FetchError } from './errors/fetch-error.ts';
export { ForbiddenError } from './errors/forbidden-error.ts';
export { MarketError } from './errors/market-error.ts';
export { NotFoundError } from './errors/not-found-error.ts';
export { RateLimitError } from './errors/rate-limit-error.ts';
export { ServerError } from './errors/server-error.ts';
export { TimeoutError } from './errors/timeout-error.ts';
export { UnauthorizedError } from './errors/unauthorized-error.ts';
export { UnexpectedResponseError } from './errors/unexpected-response-error.ts';
export { ValidationError } from './errors/validation-error.ts';
export {
  isApiResponseStatusType,
  isChatContextIdentifiableType,
  isChatContextType,
  isChatMessageSenderType,
  isChatStatusType,
  isChatType,
  isMarketError,
} from './guards.ts';
export type {
  AttemptErrorEvent,
  CallEndEvent,
  CallEvent,
  DriftEvent,
  FailureEvent,
  HeldEvent,
  MarketClientHooks,
  RequestEvent,
  ResponseEvent,
  RetryBudget,
  RetryEvent,
} from './hooks.ts';
export type { BusinessLimits } from './internal/engine.ts';
