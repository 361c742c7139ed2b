import { operationRules } from '../../generated/rules.ts';
import type { GetChatInfoDTO } from '../../generated/schema.ts';
import type { Operation } from '../internal/operation.ts';
import { checkParameters, inputRecord } from '../internal/operation-input.ts';
import { readItem } from './read-result.ts';

export interface GetChatInput {
  businessId: number;
  chatId: number;
}

const rules = operationRules.getChat;

/** `GET /v2/businesses/{businessId}/chat?chatId=`: one chat. A read: every retryable failure is retried. */
export const getChat: Operation<GetChatInput, GetChatInfoDTO> = {
  name: 'getChat',
  method: rules.method,
  path: rules.path,
  // Stryker disable next-line StringLiteral: the engine only asks whether retry is 'write'; any other value is the safe policy
  retry: 'safe',
  validate(input) {
    const record = inputRecord(input, ['businessId', 'chatId']);
    checkParameters(rules, record, ['businessId', 'chatId']);
    return { businessId: record.businessId as number, chatId: record.chatId as number };
  },
  toRequest: ({ businessId, chatId }) => ({ path: { businessId }, query: { chatId } }),
  readResult: (body, drift) => readItem(rules.okResponseBody, 'chatId', body, drift),
};
