// The public surface of `yandex-market-chats-client/notifications`: receiving Yandex Market's push
// notifications. Kept apart from the main entry, which never imports it.

export type {
  ChatArbitrageFinishedNotificationDTO,
  ChatArbitrageStartedNotificationDTO,
  ChatCreatedNotificationDTO,
  ChatMessageSentNotificationDTO,
  NotificationApiErrorType,
  OtherNotificationDTO,
  PingNotificationDTO,
  SendNotificationErrorResponse,
  SendNotificationRequest,
  SendNotificationResponse,
} from '../../generated/notifications-schema.ts';
export { ValidationError } from '../errors/validation-error.ts';
export { CallbackTimeoutError } from './deliver.ts';
export {
  type ClaimingDuplicateStore,
  type ClaimState,
  createMemoryDuplicateStore,
  type DuplicateStore,
  type MemoryDuplicateStore,
  notificationKey,
} from './duplicates.ts';
export {
  type FastifyReplyLike,
  type FastifyRequestLike,
  toFastifyHandler,
} from './fastify-handler.ts';
export {
  createNotificationHandler,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_CLAIM_GRACE_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PING_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  type NotificationCallback,
  type NotificationCallbacks,
  type NotificationContext,
  type NotificationErrorEvent,
  type NotificationHandler,
  type NotificationHandlerOptions,
  type NotificationHooks,
  type RefusalEvent,
} from './handler.ts';
export { messageIdToNumber } from './message-id.ts';
export { type NodeRequestLike, type NodeResponseLike, toNodeListener } from './node-listener.ts';
export { type SenderCheckOptions, YANDEX_NOTIFICATION_NETWORKS } from './sender-address.ts';
export type {
  ModelledNotification,
  ModelledNotificationType,
  Notification,
  NotificationOf,
  OtherNotification,
} from './types.ts';
