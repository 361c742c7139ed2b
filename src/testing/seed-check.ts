// Seed data must make answers the spec allows: each chat and message is checked against the spec's
// schemas (GetChatInfoDTO, ChatMessageDTO) at start, so a bad seed fails there, naming what is wrong.
import { chatInfo, type MarketState } from './market-state.ts';
import { loadSpec } from './spec-files.ts';
import { specValidator } from './spec-validator.ts';

export function checkSeed(state: MarketState): void {
  if (state.chats.length === 0) return;
  const errorsAt = specValidator(loadSpec('openapi'));
  const problems: string[] = [];
  for (const chat of state.chats) {
    for (const error of errorsAt(['components', 'schemas', 'GetChatInfoDTO'], chatInfo(chat))) {
      problems.push(`chat ${chat.chatId}: ${error}`);
    }
    if (!Number.isSafeInteger(chat.businessId) || chat.businessId < 1) {
      problems.push(`chat ${chat.chatId}: businessId must be a whole number >= 1`);
    }
    if (chat.context.type !== 'DIRECT' && chat.context.id === undefined) {
      problems.push(`chat ${chat.chatId}: an ${chat.context.type} context needs its id`);
    }
    for (const message of chat.messages) {
      for (const error of errorsAt(['components', 'schemas', 'ChatMessageDTO'], message)) {
        problems.push(`chat ${chat.chatId} message ${message.messageId}: ${error}`);
      }
      if (message.message === undefined && message.payload === undefined) {
        problems.push(`chat ${chat.chatId} message ${message.messageId}: needs a message or a payload`);
      }
    }
  }
  if (problems.length > 0)
    throw new TypeError(`startMockMarket: the seed breaks the spec: ${problems.join('; ')}`);
}
