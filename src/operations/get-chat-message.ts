import { operationRules } from '../../generated/rules.ts';
import type { ChatMessageDTO } from '../../generated/schema.ts';
import type { Operation } from '../internal/operation.ts';
import { checkParameters, inputRecord } from '../internal/operation-input.ts';
import { readItem } from './read-result.ts';

export interface GetChatMessageInput {
  businessId: number;
  chatId: number;
  /** The message's id; from a `CHAT_MESSAGE_SENT` notification, convert its string with `messageIdToNumber`. */
  messageId: number;
}

const rules = operationRules.getChatMessage;

/** `GET /v2/businesses/{businessId}/chats/message?chatId=&messageId=`: one message. A read. */
export const getChatMessage: Operation<GetChatMessageInput, ChatMessageDTO> = {
  name: 'getChatMessage',
  method: rules.method,
  path: rules.path,
  // Stryker disable next-line StringLiteral: the engine only asks whether retry is 'write'; any other value is the safe policy
  retry: 'safe',
  validate(input) {
    const record = inputRecord(input, ['businessId', 'chatId', 'messageId']);
    checkParameters(rules, record, ['businessId', 'chatId', 'messageId']);
    const { businessId, chatId, messageId } = record as unknown as GetChatMessageInput;
    return { businessId, chatId, messageId };
  },
  toRequest: ({ businessId, chatId, messageId }) => ({ path: { businessId }, query: { chatId, messageId } }),
  readResult: (body, drift) => readItem(rules.okResponseBody, 'messageId', body, drift),
};
