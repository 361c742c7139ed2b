import { operationRules } from '../../generated/rules.ts';
import type { GetChatInfoDTO, GetChatsInfoDTO, GetChatsRequest } from '../../generated/schema.ts';
import type { Operation } from '../internal/operation.ts';
import { check, checkParameters, defined, inputRecord } from '../internal/operation-input.ts';
import { readPage } from './read-result.ts';

/** Which chats: every list is optional, non-empty, without repeats; all given ones must match. */
export type ChatsFilter = GetChatsRequest;

export interface GetChatsInput {
  businessId: number;
  filter?: ChatsFilter | undefined;
  /** Chats per page, 1 to 20; the API's default is 10. */
  limit?: number | undefined;
  /** The `nextPageToken` of the previous page; none for the first page. */
  pageToken?: string | undefined;
}

export interface ChatsPage {
  chats: GetChatInfoDTO[];
  /** The token of the next page; undefined on the last page. */
  nextPageToken: string | undefined;
}

interface ValidGetChatsInput {
  businessId: number;
  filter: ChatsFilter;
  limit: number | undefined;
  pageToken: string | undefined;
}

const rules = operationRules.getChats;

/** `POST /v2/businesses/{businessId}/chats`: one page of the business's chats. A read. */
export const getChats: Operation<GetChatsInput, ChatsPage, ValidGetChatsInput> = {
  name: 'getChats',
  method: rules.method,
  path: rules.path,
  // Stryker disable next-line StringLiteral: the engine only asks whether retry is 'write'; any other value is the safe policy
  retry: 'safe',
  validate(input) {
    const record = inputRecord(input, ['businessId', 'filter', 'limit', 'pageToken']);
    checkParameters(rules, record, ['businessId', 'limit', 'pageToken']);
    const filter = record.filter ?? {};
    check(rules.requestBody.schema, filter, 'filter');
    const { businessId, limit, pageToken } = record as unknown as GetChatsInput;
    return { businessId, filter: filter as ChatsFilter, limit, pageToken };
  },
  toRequest: ({ businessId, filter, limit, pageToken }) => ({
    path: { businessId },
    query: defined({ limit, pageToken }),
    body: filter, // required by the API: `{}` for no filter
  }),
  readResult(body, drift) {
    const read = readPage<GetChatsInfoDTO>(rules.okResponseBody, 'chats', 'chatId', body, drift);
    if (!read.ok) return read;
    const { items, nextPageToken } = read.value;
    return { ok: true, value: { chats: items as GetChatInfoDTO[], nextPageToken } };
  },
};
