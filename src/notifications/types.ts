// The notifications the handler passes to its callbacks, typed from openapi/notifications.yaml.
import type {
  ChatArbitrageFinishedNotificationDTO,
  ChatArbitrageStartedNotificationDTO,
  ChatCreatedNotificationDTO,
  ChatMessageSentNotificationDTO,
  NotificationApiErrorType,
  OtherNotificationDTO,
  PingNotificationDTO,
} from '../../generated/notifications-schema.ts';

/** A notification whose type the spec models, each with its own fields. */
export type ModelledNotification =
  | PingNotificationDTO
  | ChatCreatedNotificationDTO
  | ChatMessageSentNotificationDTO
  | ChatArbitrageStartedNotificationDTO
  | ChatArbitrageFinishedNotificationDTO;

export type ModelledNotificationType = ModelledNotification['notificationType'];

/** The modelled notification of type `T`, e.g. `NotificationOf<'CHAT_MESSAGE_SENT'>`. */
export type NotificationOf<T extends ModelledNotificationType> = Extract<
  ModelledNotification,
  { notificationType: T }
>;

/** A valid notification of any other type (orders, returns, feedback, types Yandex adds later). */
export type OtherNotification = OtherNotificationDTO;

export type Notification = ModelledNotification | OtherNotification;

export type NotificationErrorType = NotificationApiErrorType;
