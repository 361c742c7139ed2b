import { operationRules } from '../../generated/rules.ts';
import type { Operation } from '../internal/operation.ts';
import { check, checkParameters, inputRecord } from '../internal/operation-input.ts';
import { readDone } from './read-result.ts';

export interface SendMessageToChatInput {
  businessId: number;
  chatId: number;
  /** 1 to 4096 characters, counted as UTF-16 code units (an emoji counts 2), as Yandex's back end counts. */
  message: string;
}

const rules = operationRules.sendMessageToChat;

/**
 * `POST /v2/businesses/{businessId}/chats/message?chatId=`: a message the customer sees. A write: sent
 * again only when the API surely did not act; after a lost answer it fails with DeliveryUnknownError.
 */
export const sendMessageToChat: Operation<SendMessageToChatInput, void> = {
  name: 'sendMessageToChat',
  method: rules.method,
  path: rules.path,
  retry: 'write',
  validate(input) {
    const record = inputRecord(input, ['businessId', 'chatId', 'message']);
    checkParameters(rules, record, ['businessId', 'chatId']);
    check(rules.requestBody.schema, { message: record.message }, '');
    const { businessId, chatId, message } = record as unknown as SendMessageToChatInput;
    return { businessId, chatId, message };
  },
  toRequest: ({ businessId, chatId, message }) => ({
    path: { businessId },
    query: { chatId },
    body: { message },
  }),
  readResult: readDone,
};
