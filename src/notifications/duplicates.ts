// Yandex may deliver one event more than once. Each event gets a stable key; a DuplicateStore remembers the
// keys whose callback succeeded, so a repeat can be dropped while a failed delivery is still retried.
import type { Notification } from './types.ts';

/** Where the handler remembers handled events. Share one (e.g. in Redis) across instances of a service. */
export interface DuplicateStore {
  /** Whether `key`'s callback already succeeded. */
  has(key: string): boolean | Promise<boolean>;
  /** Called once `key`'s callback succeeded (never before: a failed event must be handled when resent). */
  add(key: string): void | Promise<void>;
}

/** The time as milliseconds, so `...Z` and `...+03:00` spellings of one instant give one key. */
const instant = (dateTime: string | undefined): string =>
  dateTime === undefined ? '' : String(Date.parse(dateTime));

/** JSON with sorted object keys: the same notification gives the same text whatever the field order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A stable key for the event a notification reports: the same for every delivery of one event, different
 * for different events. Chat events are keyed by their ids (and the time, for arbitrage, which can happen
 * more than once in a chat); other types by their whole content.
 */
export function notificationKey(notification: Notification): string {
  switch (notification.notificationType) {
    case 'PING':
      return `PING ${instant(notification.time as string | undefined)}`;
    case 'CHAT_CREATED':
      return `CHAT_CREATED ${notification.businessId}/${notification.chatId}`;
    case 'CHAT_MESSAGE_SENT':
      return `CHAT_MESSAGE_SENT ${notification.businessId}/${notification.chatId}/${notification.messageId}`;
    case 'CHAT_ARBITRAGE_STARTED':
      return `CHAT_ARBITRAGE_STARTED ${notification.businessId}/${notification.chatId}/${instant(notification.startedAt as string)}`;
    case 'CHAT_ARBITRAGE_FINISHED':
      return `CHAT_ARBITRAGE_FINISHED ${notification.businessId}/${notification.chatId}/${instant(notification.finishedAt as string)}`;
    default:
      return `${notification.notificationType} ${canonicalJson(notification)}`;
  }
}

/** An in-process DuplicateStore holding the last `maxKeys` handled keys (default 10,000), oldest dropped first. */
export function createMemoryDuplicateStore(maxKeys = 10_000): DuplicateStore {
  const keys = new Set<string>();
  return {
    has: (key) => keys.has(key),
    add: (key) => {
      keys.delete(key);
      keys.add(key);
      for (const oldest of keys) {
        if (keys.size <= maxKeys) break;
        keys.delete(oldest);
      }
    },
  };
}
