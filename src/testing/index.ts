// `yandex-market-chats-client/testing`: a test kit for services that use the library. A stateful mock of
// the Chats API checked against openapi.yaml both ways, and a sender of notifications checked against
// notifications.yaml. Never imported by the main entry.
export type { OperationId } from './api-operations.ts';
export {
  type CaseResult,
  checkNotifications,
  type NotificationCase,
  notificationCases,
} from './check-notifications.ts';
export type {
  ChatContextType,
  ChatStatus,
  MessageSender,
  MockFile,
  SeedChat,
  SeedMessage,
} from './market-state.ts';
export {
  type FailNextOptions,
  type MockMarket,
  type MockMarketOptions,
  type RecordedRequest,
  startMockMarket,
  type Violation,
} from './mock-market.ts';
export type { MockLimits } from './rate-limits.ts';
export {
  type NotificationAnswer,
  type SendNotificationOptions,
  sendNotification,
} from './send-notification.ts';
