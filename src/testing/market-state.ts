// The mock's memory: chats and their messages per business, as the Partner API describes them.
// createChat finds the chat of a context before it creates one; sent messages and files join the history.

export type ChatContextType = 'ORDER' | 'RETURN' | 'DIRECT';
export type ChatStatus =
  | 'NEW'
  | 'WAITING_FOR_CUSTOMER'
  | 'WAITING_FOR_PARTNER'
  | 'WAITING_FOR_ARBITER'
  | 'WAITING_FOR_MARKET'
  | 'FINISHED';
export type MessageSender = 'PARTNER' | 'CUSTOMER' | 'MARKET' | 'SUPPORT';

export interface MockFile {
  name: string;
  size: number;
  url: string;
}

export interface MockMessage {
  messageId: number;
  createdAt: string;
  sender: MessageSender;
  message?: string;
  payload?: MockFile[];
}

export interface MockChat {
  businessId: number;
  chatId: number;
  /** What the chat is about: an order or return id; a DIRECT chat has none. */
  context: { type: ChatContextType; id?: number };
  type: 'CHAT' | 'ARBITRAGE';
  status: ChatStatus;
  customer: { name: string; publicId: string };
  createdAt: string;
  updatedAt: string;
  messages: MockMessage[];
}

/** Seed data: a chat and its messages; what is left out gets a default. */
export interface SeedChat {
  businessId: number;
  chatId?: number;
  context: { type: ChatContextType; id?: number };
  type?: 'CHAT' | 'ARBITRAGE';
  status?: ChatStatus;
  customer?: { name: string; publicId: string };
  createdAt?: string;
  messages?: SeedMessage[];
}

export interface SeedMessage {
  messageId?: number;
  sender?: MessageSender;
  message?: string;
  payload?: MockFile[];
  createdAt?: string;
}

export interface MarketState {
  chats: MockChat[];
  nextChatId: number;
  nextMessageId: number;
}

export function emptyState(): MarketState {
  return { chats: [], nextChatId: 1001, nextMessageId: 5001 };
}

export function findChat(state: MarketState, businessId: number, chatId: number): MockChat | undefined {
  return state.chats.find((chat) => chat.businessId === businessId && chat.chatId === chatId);
}

function sameContext(chat: MockChat, type: ChatContextType, id: number): boolean {
  return chat.context.type === type && chat.context.id === id;
}

/** The chat of `context` in the business: the one opened before, or a new one. */
export function openChat(
  state: MarketState,
  businessId: number,
  context: { type: 'ORDER' | 'RETURN'; id: number },
  now: string,
): MockChat {
  const found = state.chats.find(
    (chat) => chat.businessId === businessId && sameContext(chat, context.type, context.id),
  );
  if (found !== undefined) return found;
  return addChat(state, { businessId, context }, now);
}

export function addChat(state: MarketState, seed: SeedChat, now: string): MockChat {
  const chatId = seed.chatId ?? state.nextChatId;
  if (state.chats.some((chat) => chat.chatId === chatId))
    throw new Error(`seed: chat ${chatId} is given twice`);
  state.nextChatId = Math.max(state.nextChatId, chatId + 1);
  const createdAt = seed.createdAt ?? now;
  const chat: MockChat = {
    businessId: seed.businessId,
    chatId,
    context: { ...seed.context },
    type: seed.type ?? 'CHAT',
    status: seed.status ?? 'NEW',
    customer: seed.customer ?? { name: 'Test Customer', publicId: `customer-${chatId}` },
    createdAt,
    updatedAt: createdAt,
    messages: [],
  };
  state.chats.push(chat);
  for (const message of seed.messages ?? []) addMessage(state, chat, message, message.createdAt ?? createdAt);
  return chat;
}

export function addMessage(state: MarketState, chat: MockChat, seed: SeedMessage, now: string): MockMessage {
  const messageId = seed.messageId ?? state.nextMessageId;
  if (state.chats.some((other) => other.messages.some((message) => message.messageId === messageId))) {
    throw new Error(`seed: message ${messageId} is given twice`);
  }
  state.nextMessageId = Math.max(state.nextMessageId, messageId + 1);
  // The text and files, as far as given (the rest of the seed is used above).
  const { messageId: _id, createdAt: _at, sender = 'PARTNER', ...content } = seed;
  const message: MockMessage = { messageId, createdAt: now, sender, ...content };
  chat.messages.push(message);
  chat.updatedAt = now;
  if (message.sender === 'PARTNER') chat.status = 'WAITING_FOR_CUSTOMER';
  else if (message.sender === 'CUSTOMER') chat.status = 'WAITING_FOR_PARTNER';
  return message;
}

/** A chat as GetChatInfoDTO describes it. */
export function chatInfo(chat: MockChat) {
  return {
    chatId: chat.chatId,
    ...(chat.context.type === 'ORDER' ? { orderId: chat.context.id } : {}),
    context: fullContext(chat),
    type: chat.type,
    status: chat.status,
    createdAt: chat.createdAt,
    updatedAt: chat.updatedAt,
  };
}

/** ChatFullContextDTO: an order's or return's id, and the customer. */
export function fullContext(chat: MockChat) {
  const { type, id } = chat.context;
  return {
    type,
    customer: chat.customer,
    ...(type === 'ORDER' ? { orderId: id } : {}),
    ...(type === 'RETURN' ? { returnId: id } : {}),
  };
}
