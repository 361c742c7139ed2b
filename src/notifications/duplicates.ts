// Yandex may deliver one event more than once. Each event gets a stable key of bounded size; a duplicate
// store remembers the keys whose callback succeeded (so a repeat can be dropped while a failed delivery is
// still retried) and, as a ClaimingDuplicateStore, leases a key to one run at a time.

import type { ClaimingDuplicateStore, ClaimState } from '../base/claims.ts';
import { hash128, jsonText } from './json-text.ts';
import type { Notification } from './types.ts';

export type { ClaimingDuplicateStore, ClaimState } from '../base/claims.ts';

/** The older shape, still accepted (without the atomicity): remembered keys of succeeded callbacks. */
export interface DuplicateStore {
  has(key: string): boolean | Promise<boolean>;
  add(key: string): void | Promise<void>;
}

/** The time as milliseconds, so `...Z` and `...+03:00` spellings of one instant give one key. */
const instant = (dateTime: string | undefined): string =>
  dateTime === undefined ? '' : String(Date.parse(dateTime));

/** Longer keys (a modelled event with an absurd `messageId`) are hashed too. */
const MAX_KEY_LENGTH = 100;

/** The type as the key's readable prefix, if it is a plain name of reasonable length. */
const typeLabel = (type: string): string => (/^[A-Za-z0-9_]{1,60}$/.test(type) ? type : 'OTHER');

const bounded = (type: string, key: string): string =>
  key.length <= MAX_KEY_LENGTH ? key : `${typeLabel(type)} ${hash128(key)}`;

/**
 * A stable key for the event a notification reports: the same for every delivery of one event, different
 * for different events. Chat events are keyed by their ids (and the time, for arbitrage, which can happen
 * more than once in a chat); other types by a 128-bit hash of their whole content (field order aside).
 * At most 100 characters.
 */
export function notificationKey(notification: Notification): string {
  return bounded(notification.notificationType, unboundedKey(notification));
}

function unboundedKey(notification: Notification): string {
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
      return `${typeLabel(notification.notificationType)} ${hash128(jsonText(notification, true))}`;
  }
}

/** The in-process store: `size` counts the done keys it holds (at most `maxKeys`). */
export type MemoryDuplicateStore = ClaimingDuplicateStore &
  DuplicateStore & {
    claim(key: string, ttlMs: number, owner: string): ClaimState;
    commit(key: string, owner: string): void;
    release(key: string, owner: string): void;
    readonly size: number;
  };

/**
 * An in-process store holding the last `maxKeys` handled keys (default 10,000), oldest dropped first, and
 * the live claims (at most `maxKeys` too: the oldest is dropped first, so at worst a callback runs twice).
 */
export function createMemoryDuplicateStore(maxKeys = 10_000): MemoryDuplicateStore {
  const done = new Set<string>();
  const claims = new Map<string, { owner: string; expiresAt: number }>();
  const commit = (key: string) => {
    claims.delete(key);
    done.delete(key);
    done.add(key);
    for (const oldest of done) {
      if (done.size <= maxKeys) break;
      done.delete(oldest);
    }
  };
  return {
    claim(key, ttlMs, owner) {
      if (done.has(key)) return 'done';
      const held = claims.get(key);
      const now = Date.now();
      if (held !== undefined && held.owner !== owner && held.expiresAt > now) return 'running';
      claims.delete(key);
      claims.set(key, { owner, expiresAt: now + ttlMs });
      for (const oldest of claims.keys()) {
        if (claims.size <= maxKeys) break;
        claims.delete(oldest);
      }
      return 'new';
    },
    commit,
    release(key, owner) {
      if (claims.get(key)?.owner === owner) claims.delete(key);
    },
    has: (key) => done.has(key),
    add: commit,
    get size() {
      return done.size;
    },
  };
}
