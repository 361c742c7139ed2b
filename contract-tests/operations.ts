// How the contract tests call each operation of the spec through the public client, and what the client
// must make of a 200 body: the typed result the issue promises for each method (e.g. getChats resolves
// `{ chats, nextPageToken }` from `result.chats` and `result.paging.nextPageToken`).
import type { MarketClient, RequestOptions } from '../src/index.ts';
import { isObject, type Json, type JsonObject } from './spec.ts';

export const BUSINESS_ID = 123456;
export const CHAT_ID = 987654321;
export const MESSAGE_ID = 3302;
/** A small file with bytes that are not UTF-8 (so a text round trip would show). */
export const FILE_BYTES = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0xfe, 0x80, 0x0a]);

export interface OperationDriver {
  /** Sends the request and never retries the customer's eyes: true for sendMessageToChat, sendFileToChat. */
  write: boolean;
  /** A page of items: an item without a usable id is left out rather than failing the page. */
  page?: boolean;
  /** The call with a fixed valid input. */
  call(market: MarketClient, options?: RequestOptions): Promise<unknown>;
  /** The result a 200 with this body must resolve to. */
  result(body: Json): unknown;
}

/** The `result` of a 200 body; throws for an example without one. */
export function resultOf(body: Json): JsonObject {
  const result = isObject(body) ? body.result : undefined;
  if (!isObject(result)) throw new Error(`a 200 example without result: ${JSON.stringify(body)}`);
  return result;
}

/** The next page's token as the client gives it: undefined on the last page (none, null or ""). */
export function nextPageToken(result: JsonObject): Json | undefined {
  const token = isObject(result.paging) ? result.paging.nextPageToken : undefined;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

/** A page's items the client keeps: those with a usable id (it leaves the others out, see onDrift). */
function withUsableId(items: Json | undefined, idKey: string): Json | undefined {
  if (!Array.isArray(items)) return items;
  return items.filter((item) => {
    const id = isObject(item) ? item[idKey] : undefined;
    return typeof id === 'number' && Number.isSafeInteger(id) && id >= 1;
  });
}

export const DRIVERS: Readonly<Record<string, OperationDriver>> = {
  createChat: {
    write: false,
    call: (market, options) =>
      market.createChat({ businessId: BUSINESS_ID, context: { type: 'ORDER', id: 5123456789 } }, options),
    result: (body) => ({ chatId: resultOf(body).chatId }),
  },
  getChats: {
    write: false,
    page: true,
    call: (market, options) => market.getChats({ businessId: BUSINESS_ID }, options),
    result(body) {
      const result = resultOf(body);
      return { chats: withUsableId(result.chats, 'chatId'), nextPageToken: nextPageToken(result) };
    },
  },
  getChat: {
    write: false,
    call: (market, options) => market.getChat({ businessId: BUSINESS_ID, chatId: CHAT_ID }, options),
    result: resultOf,
  },
  getChatHistory: {
    write: false,
    page: true,
    call: (market, options) => market.getChatHistory({ businessId: BUSINESS_ID, chatId: CHAT_ID }, options),
    result(body) {
      const result = resultOf(body);
      const messages = withUsableId(result.messages, 'messageId');
      return { context: result.context, messages, nextPageToken: nextPageToken(result) };
    },
  },
  getChatMessage: {
    write: false,
    call: (market, options) =>
      market.getChatMessage({ businessId: BUSINESS_ID, chatId: CHAT_ID, messageId: MESSAGE_ID }, options),
    result: resultOf,
  },
  sendMessageToChat: {
    write: true,
    call: (market, options) =>
      market.sendMessageToChat(
        { businessId: BUSINESS_ID, chatId: CHAT_ID, message: 'Здравствуйте!' },
        options,
      ),
    result: () => undefined,
  },
  sendFileToChat: {
    write: true,
    call: (market, options) =>
      market.sendFileToChat(
        { businessId: BUSINESS_ID, chatId: CHAT_ID, file: FILE_BYTES, fileName: 'invoice.pdf' },
        options,
      ),
    result: () => undefined,
  },
};

/** Calls the client's method named after the operation with any input (for property tests). */
export function callOperation(
  market: MarketClient,
  operationId: string,
  input: unknown,
  options?: RequestOptions,
): Promise<unknown> {
  const method = market[operationId as keyof MarketClient];
  if (typeof method !== 'function') throw new Error(`the client has no method ${operationId}`);
  return (method as (input: unknown, options?: RequestOptions) => Promise<unknown>)(input, options);
}
