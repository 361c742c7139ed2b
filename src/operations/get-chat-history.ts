import { operationRules } from '../../generated/rules.ts';
import type { ChatFullContextDTO, ChatMessageDTO, ChatMessagesResultDTO } from '../../generated/schema.ts';
import type { Operation } from '../internal/operation.ts';
import { check, checkParameters, defined, inputRecord } from '../internal/operation-input.ts';
import { readPage } from './read-result.ts';

export interface GetChatHistoryInput {
  businessId: number;
  chatId: number;
  /**
   * Start from this message. Passed to the API as is: Yandex does not document whether that message itself
   * comes back (one integration saw it does); the client neither drops nor adds messages, so compare ids
   * if it matters.
   */
  messageIdFrom?: number | undefined;
  /** Messages per page, 1 to 100; the API's default is 50. */
  limit?: number | undefined;
  /** The `nextPageToken` of the previous page; none for the first page. */
  pageToken?: string | undefined;
}

export interface ChatHistoryPage {
  /** What the chat is about (order, return, or none for a direct chat) and its customer. */
  context: ChatFullContextDTO;
  /** The page's messages, in the order the API returns them. */
  messages: ChatMessageDTO[];
  /** The token of the next page; undefined on the last page. */
  nextPageToken: string | undefined;
}

interface ValidGetChatHistoryInput {
  businessId: number;
  chatId: number;
  messageIdFrom: number | undefined;
  limit: number | undefined;
  pageToken: string | undefined;
}

const rules = operationRules.getChatHistory;

/** `POST /v2/businesses/{businessId}/chats/history?chatId=`: one page of a chat's messages. A read. */
export const getChatHistory: Operation<GetChatHistoryInput, ChatHistoryPage, ValidGetChatHistoryInput> = {
  name: 'getChatHistory',
  method: rules.method,
  path: rules.path,
  // Stryker disable next-line StringLiteral: the engine only asks whether retry is 'write'; any other value is the safe policy
  retry: 'safe',
  validate(input) {
    const record = inputRecord(input, ['businessId', 'chatId', 'messageIdFrom', 'limit', 'pageToken']);
    checkParameters(rules, record, ['businessId', 'chatId', 'limit', 'pageToken']);
    const { businessId, chatId, messageIdFrom, limit, pageToken } = record as unknown as GetChatHistoryInput;
    check(rules.requestBody.schema, defined({ messageIdFrom }), '');
    return { businessId, chatId, messageIdFrom, limit, pageToken };
  },
  toRequest: ({ businessId, chatId, messageIdFrom, limit, pageToken }) => ({
    path: { businessId },
    query: defined({ chatId, limit, pageToken }),
    body: defined({ messageIdFrom }), // required by the API: `{}` from the first message
  }),
  readResult(body, drift) {
    const read = readPage<ChatMessagesResultDTO>(rules.okResponseBody, 'messages', 'messageId', body, drift);
    if (!read.ok) return read;
    const { result, items, nextPageToken } = read.value;
    return {
      ok: true,
      value: { context: result.context, messages: items as ChatMessageDTO[], nextPageToken },
    };
  },
};
