// What each operation does to the mock's state and answers, once its request passed the spec's checks.
import type { OperationId } from './api-operations.ts';
import {
  addMessage,
  chatInfo,
  findChat,
  fullContext,
  type MarketState,
  type MockChat,
  openChat,
} from './market-state.ts';
import type { SentFile } from './request-check.ts';

export interface ActionAnswer {
  status: 200 | 400 | 404;
  body: unknown;
}

export interface ActionInput {
  params: Record<string, unknown>;
  body: unknown;
  now: string;
  /** The mock's own URL, for the download links of sent files. */
  baseUrl: string;
}

const ok = (result?: unknown): ActionAnswer => ({
  status: 200,
  body: result === undefined ? { status: 'OK' } : { status: 'OK', result },
});
const error = (status: 400 | 404, code: string, message: string): ActionAnswer => ({
  status,
  body: { status: 'ERROR', errors: [{ code, message }] },
});
const notFound = (message: string) => error(404, 'NOT_FOUND', message);
const invalidToken = () => error(400, 'BAD_REQUEST', 'Invalid page token');

/** Page tokens are the offset of the page's first item, opaque to the client. */
const pageToken = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64url');
function readPageToken(token: unknown): number | undefined {
  if (token === undefined) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as {
      offset?: unknown;
    };
    return typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

function page<T>(
  items: T[],
  offset: number,
  limit: number,
): { items: T[]; paging: { nextPageToken?: string } } {
  const end = offset + limit;
  return {
    items: items.slice(offset, end),
    paging: end < items.length ? { nextPageToken: pageToken(end) } : {},
  };
}

type Filters = {
  orderIds?: number[] | null;
  contexts?: { type: string; id: number }[] | null;
  contextTypes?: string[] | null;
  types?: string[] | null;
  statuses?: string[] | null;
};

function matches(chat: MockChat, filters: Filters): boolean {
  const { orderIds, contexts, contextTypes, types, statuses } = filters;
  if (orderIds && !(chat.context.type === 'ORDER' && orderIds.includes(chat.context.id ?? 0))) return false;
  if (contexts && !contexts.some(({ type, id }) => chat.context.type === type && chat.context.id === id))
    return false;
  if (contextTypes && !contextTypes.includes(chat.context.type)) return false;
  if (types && !types.includes(chat.type)) return false;
  return !(statuses && !statuses.includes(chat.status));
}

const numberParam = (input: ActionInput, name: string) => input.params[name] as number;

function chatOf(state: MarketState, input: ActionInput): MockChat | ActionAnswer {
  const chatId = numberParam(input, 'chatId');
  return findChat(state, numberParam(input, 'businessId'), chatId) ?? notFound(`Chat ${chatId} not found`);
}
const isAnswer = (value: MockChat | ActionAnswer): value is ActionAnswer =>
  'status' in value && 'body' in value;

const actions: Record<OperationId, (state: MarketState, input: ActionInput) => ActionAnswer> = {
  createChat(state, input) {
    const body = input.body as { context?: { type: 'ORDER' | 'RETURN'; id: number }; orderId?: number };
    const context = body.context ?? { type: 'ORDER' as const, id: body.orderId ?? 0 };
    return ok({ chatId: openChat(state, numberParam(input, 'businessId'), context, input.now).chatId });
  },
  getChats(state, input) {
    const offset = readPageToken(input.params.pageToken);
    if (offset === undefined) return invalidToken();
    const businessId = numberParam(input, 'businessId');
    const chats = state.chats.filter(
      (chat) => chat.businessId === businessId && matches(chat, input.body as Filters),
    );
    const { items, paging } = page(chats, offset, (input.params.limit as number | undefined) ?? 10);
    return ok({ chats: items.map(chatInfo), paging });
  },
  getChat(state, input) {
    const chat = chatOf(state, input);
    return isAnswer(chat) ? chat : ok(chatInfo(chat));
  },
  getChatHistory(state, input) {
    const chat = chatOf(state, input);
    if (isAnswer(chat)) return chat;
    const offset = readPageToken(input.params.pageToken);
    if (offset === undefined) return invalidToken();
    const from = (input.body as { messageIdFrom?: number }).messageIdFrom ?? 0;
    // Inclusive of messageIdFrom, as one integration found the real API to be.
    const messages = chat.messages.filter((message) => message.messageId >= from);
    const { items, paging } = page(messages, offset, (input.params.limit as number | undefined) ?? 50);
    return ok({
      ...(chat.context.type === 'ORDER' ? { orderId: chat.context.id } : {}),
      context: fullContext(chat),
      messages: items,
      paging,
    });
  },
  getChatMessage(state, input) {
    const chat = chatOf(state, input);
    if (isAnswer(chat)) return chat;
    const messageId = numberParam(input, 'messageId');
    const message = chat.messages.find((item) => item.messageId === messageId);
    return message === undefined
      ? notFound(`Message ${messageId} not found in chat ${chat.chatId}`)
      : ok(message);
  },
  sendMessageToChat(state, input) {
    const chat = chatOf(state, input);
    if (isAnswer(chat)) return chat;
    addMessage(
      state,
      chat,
      { sender: 'PARTNER', message: (input.body as { message: string }).message },
      input.now,
    );
    return ok();
  },
  sendFileToChat(state, input) {
    const chat = chatOf(state, input);
    if (isAnswer(chat)) return chat;
    const file = (input.body as { file: SentFile }).file;
    const name = file.name || 'file';
    const url = `${input.baseUrl}/files/${chat.chatId}/${state.nextMessageId}/${encodeURIComponent(name)}`;
    addMessage(state, chat, { sender: 'PARTNER', payload: [{ name, size: file.size, url }] }, input.now);
    return ok();
  },
};

export function act(operation: OperationId, state: MarketState, input: ActionInput): ActionAnswer {
  return actions[operation](state, input);
}
