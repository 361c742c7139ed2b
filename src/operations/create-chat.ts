import { operationRules } from '../../generated/rules.ts';
import type { ChatContextDTO, CreateChatResultDTO } from '../../generated/schema.ts';
import type { Operation } from '../internal/operation.ts';
import {
  findProblem,
  type ValidCreateChatInput,
  validateCreateChatInput,
} from '../internal/validate-input.ts';

export interface CreateChatInput {
  /** The business (cabinet) id: a positive integer, at most `Number.MAX_SAFE_INTEGER`. */
  businessId: number;
  /** The order or return to chat about. */
  context: ChatContextDTO;
}

export type CreateChatResult = CreateChatResultDTO;

/**
 * `POST /v2/businesses/{businessId}/chats/new`: a new chat about an order or a return, or the one created
 * before for it. Repeating the call returns the same chat, so every retryable failure is retried.
 */
export const createChat: Operation<CreateChatInput, CreateChatResult, ValidCreateChatInput> = {
  name: 'createChat',
  method: 'post',
  path: '/v2/businesses/{businessId}/chats/new',
  // Stryker disable next-line StringLiteral: the engine only asks whether retry is 'write'; any other value is the safe policy
  retry: 'safe',
  validate: validateCreateChatInput,
  toRequest: ({ businessId, context }) => ({ path: { businessId }, body: { context } }),
  readResult(body) {
    const problem = findProblem(operationRules.createChat.okResponseBody, body, 'body');
    if (problem !== undefined) {
      return { ok: false, problem: `breaks the contract: ${problem.field} ${problem.problem}` };
    }
    // `status` is not checked beyond the schema: the spec allows ERROR in a 200 body, and a valid chatId
    // means the chat exists. What a 200 cannot lack is the chat id.
    const { result } = body as { result?: { chatId: number } };
    if (result === undefined) return { ok: false, problem: 'has no result.chatId' };
    return { ok: true, value: { chatId: result.chatId } };
  },
};
