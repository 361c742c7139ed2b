// fast-check arbitraries of valid and invalid input for every operation, built from the spec's limits
// (ids >= 1, getChats' limit 1..20, getChatHistory's 1..100, messages of 1..4096 UTF-16 code units,
// non-empty lists without repeats, the spec's enums) and sendFileToChat's 5,000,000-byte cap.
// An invalid input is invalid in exactly one field, which the ValidationError must name.
import fc from 'fast-check';
import { spec } from './harness.ts';
import { schemaEnum } from './spec.ts';

export interface InvalidInput {
  /** The field the ValidationError must name, e.g. `filter.statuses[1]`. */
  field: string;
  input: Record<string, unknown>;
}

const contextTypes = schemaEnum(spec, 'ChatContextType');
const identifiableTypes = schemaEnum(spec, 'ChatContextIdentifiableType');
const chatTypes = schemaEnum(spec, 'ChatType');
const statuses = schemaEnum(spec, 'ChatStatusType');

// ---- valid ------------------------------------------------------------------------------------------

export const positiveId = fc.oneof(
  fc.integer({ min: 1, max: 1_000_000 }),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(1, 2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER),
);
const context = fc.record({ type: fc.constantFrom(...identifiableTypes), id: positiveId });
/** An opaque page token as the API hands them out (base64url-ish). */
export const pageToken = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const someOf = (values: readonly string[]) => fc.shuffledSubarray([...values], { minLength: 1 });

export const chatsFilter = fc.record(
  {
    contexts: fc.uniqueArray(context, {
      minLength: 1,
      maxLength: 3,
      selector: (c) => `${c.type}:${c.id}`,
    }),
    contextTypes: someOf(contextTypes),
    types: someOf(chatTypes),
    statuses: someOf(statuses),
    orderIds: fc.uniqueArray(positiveId, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: [] },
);

const EMOJI = '😀'; // outside the BMP: 2 UTF-16 code units, 1 code point
export const MESSAGE_LIMIT = 4096;

/** Texts of 1..4096 UTF-16 code units, including the limit in ASCII, in emoji and in a mix. */
export const validMessage = fc.oneof(
  fc.string({ minLength: 1, maxLength: 200 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }).filter((s) => s.length <= MESSAGE_LIMIT),
  fc.integer({ min: 1, max: MESSAGE_LIMIT / 2 }).map((n) => EMOJI.repeat(n)),
  fc.constantFrom(
    'x'.repeat(MESSAGE_LIMIT),
    EMOJI.repeat(MESSAGE_LIMIT / 2),
    `${'x'.repeat(MESSAGE_LIMIT - 2)}${EMOJI}`,
  ),
);

const fileName = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,40}\.[a-z]{2,4}$/),
  fc.constantFrom('счёт №5.pdf', 'photo (1).jpg', 'x'.repeat(255)),
);
export const validFile = fc.record(
  {
    file: fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 2048 }),
      fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((bytes) => new Blob([bytes])),
    ),
    fileName,
    contentType: fc.constantFrom('application/pdf', 'image/png', 'text/plain', 'application/octet-stream'),
  },
  { requiredKeys: ['file', 'fileName'] },
);

// ---- invalid ----------------------------------------------------------------------------------------

const notAPositiveSafeInteger = fc.oneof(
  fc.integer({ min: -1_000_000, max: 0 }),
  fc.double({ noNaN: false }).filter((n) => !(Number.isSafeInteger(n) && n >= 1)),
  fc.constantFrom(0, -0, -1, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 2 ** 53 + 2, 1e21),
  fc.integer({ min: 1, max: 1_000_000 }).map(String),
  fc.string(),
  fc.constantFrom(null, true, {}, []),
  fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }),
);
/** A required id: also a missing one. */
const badRequiredId = fc.oneof(notAPositiveSafeInteger, fc.constant(undefined));

function badLimit(max: number) {
  return fc.oneof(
    fc.integer({ min: max + 1, max: 2 ** 31 }),
    fc.integer({ min: -1000, max: 0 }),
    fc.constantFrom(0.5, max + 0.5, Number.NaN, '10', null, 2 ** 31, true),
  );
}
const badPageToken = fc.constantFrom(1, null, true, {}, ['token']);

/** `base` with its top-level `field` replaced by each of `values` (undefined means the field is left out). */
function invalid(
  base: fc.Arbitrary<Record<string, unknown>>,
  field: string,
  values: fc.Arbitrary<unknown>,
): fc.Arbitrary<InvalidInput> {
  return fc.tuple(base, values).map(([input, value]) => {
    const copy: Record<string, unknown> = { ...input };
    if (value === undefined) delete copy[field];
    else copy[field] = value;
    return { field, input: copy };
  });
}

const tooLongMessage = fc.oneof(
  fc.string({ minLength: MESSAGE_LIMIT + 1, maxLength: MESSAGE_LIMIT + 50 }),
  fc.integer({ min: MESSAGE_LIMIT / 2 + 1, max: MESSAGE_LIMIT }).map((n) => EMOJI.repeat(n)),
  // 4097 code units, 4096 code points: JSON Schema (and Prism) would let it through.
  fc.constant(`${'x'.repeat(MESSAGE_LIMIT - 1)}${EMOJI}`),
  fc.constant(EMOJI.repeat(MESSAGE_LIMIT / 2 + 1)),
);

/** One of the filter's lists broken: empty, repeating a value, or holding a value outside the enum. */
const badFilter: fc.Arbitrary<{ field: string; filter: unknown }> = fc.oneof(
  fc.constantFrom('ORDER', 5, [], true).map((filter) => ({ field: 'filter', filter })),
  fc
    .tuple(fc.constantFrom('contexts', 'contextTypes', 'types', 'statuses', 'orderIds'), chatsFilter)
    .map(([key, filter]) => ({ field: `filter.${key}`, filter: { ...filter, [key]: [] } })),
  fc
    .tuple(
      fc.constantFrom<[string, fc.Arbitrary<unknown[]>]>(
        ['contextTypes', someOf(contextTypes)],
        ['types', someOf(chatTypes)],
        ['statuses', someOf(statuses)],
        ['contexts', fc.array(context, { minLength: 1, maxLength: 3 })],
        ['orderIds', fc.array(positiveId, { minLength: 1, maxLength: 3 })],
      ),
      fc.nat(),
    )
    .chain(([[key, list], at]) =>
      list.map((values) => {
        const repeated = values[at % values.length];
        // A context repeated with its keys in another order is still the same context.
        const again =
          typeof repeated === 'object' && repeated !== null
            ? Object.fromEntries(Object.entries(repeated).reverse())
            : repeated;
        return { field: `filter.${key}`, filter: { [key]: [...values, again] } };
      }),
    ),
  fc
    .tuple(
      fc.constantFrom<[string, string[]]>(
        ['contextTypes', contextTypes],
        ['types', chatTypes],
        ['statuses', statuses],
      ),
      fc.oneof(fc.string(), fc.constantFrom('OPEN', 'order', ' NEW', 'CLOSED')),
    )
    .filter(([[, values], value]) => !values.includes(value))
    .map(([[key, values], value]) => ({
      field: `filter.${key}[${values.length}]`,
      filter: { [key]: [...values, value] },
    })),
  fc
    .tuple(fc.constantFrom('id', 'type'), fc.constantFrom(0, -1, 'DIRECT', null, 1.5))
    .filter(([key, value]) => (key === 'id' ? typeof value !== 'string' : value !== 1.5))
    .map(([key, value]) => ({
      field: `filter.contexts[0].${key}`,
      filter: { contexts: [{ type: 'ORDER', id: 1, [key]: value }] },
    })),
);

/** The spec's reading of Yandex's "5 MB" (sendFileToChat's description). */
export const FILE_LIMIT_BYTES = 5_000_000;
const bigFile = new Uint8Array(FILE_LIMIT_BYTES + 1);
const badFile = fc.constantFrom(
  new Uint8Array(0),
  new Blob([]),
  bigFile,
  new Blob([bigFile]),
  'file bytes',
  42,
  null,
  undefined,
  new ArrayBuffer(8),
  [1, 2, 3],
);
const badFileName = fc.constantFrom(undefined, '', 'x'.repeat(256), 'a\nb.txt', 'tab\t.pdf', 7, null);
const badContentType = fc.constantFrom('pdf', '', 'application/', 'a b/c', 42);

const ids = { businessId: positiveId, chatId: positiveId };
const createChatInput = fc.record({ businessId: positiveId, context });
const getChatsInput = fc.record(
  { businessId: positiveId, filter: chatsFilter, limit: fc.integer({ min: 1, max: 20 }), pageToken },
  { requiredKeys: ['businessId'] },
);
const getChatInput = fc.record(ids);
const getChatHistoryInput = fc.record(
  { ...ids, messageIdFrom: positiveId, limit: fc.integer({ min: 1, max: 100 }), pageToken },
  { requiredKeys: ['businessId', 'chatId'] },
);
const getChatMessageInput = fc.record({ ...ids, messageId: positiveId });
const sendMessageInput = fc.record({ ...ids, message: validMessage });
const sendFileInput = fc.tuple(fc.record(ids), validFile).map(([a, b]) => ({ ...a, ...b }));

/** Valid input of each operation, as its method takes it. */
export const VALID: Readonly<Record<string, fc.Arbitrary<Record<string, unknown>>>> = {
  createChat: createChatInput,
  getChats: getChatsInput,
  getChat: getChatInput,
  getChatHistory: getChatHistoryInput,
  getChatMessage: getChatMessageInput,
  sendMessageToChat: sendMessageInput,
  sendFileToChat: sendFileInput,
};

/** Input of each operation that is invalid in one named field. */
export const INVALID: Readonly<Record<string, fc.Arbitrary<InvalidInput>>> = {
  createChat: fc.oneof(
    invalid(createChatInput, 'businessId', badRequiredId),
    invalid(createChatInput, 'context', fc.constantFrom(undefined, null, 'ORDER', 5123456789, [])),
    fc.tuple(positiveId, badRequiredId).map(([businessId, id]) => ({
      field: 'context.id',
      input: { businessId, context: { type: 'ORDER', id } },
    })),
    fc
      .tuple(positiveId, fc.constantFrom('DIRECT', 'order', ' ORDER', null, undefined, 1))
      .map(([businessId, type]) => ({
        field: 'context.type',
        input: { businessId, context: { type, id: 1 } },
      })),
  ),
  getChats: fc.oneof(
    invalid(getChatsInput, 'businessId', badRequiredId),
    invalid(getChatsInput, 'limit', badLimit(20)),
    invalid(getChatsInput, 'pageToken', badPageToken),
    fc.tuple(positiveId, badFilter).map(([businessId, { field, filter }]) => ({
      field,
      input: { businessId, filter },
    })),
  ),
  getChat: fc.oneof(
    invalid(getChatInput, 'businessId', badRequiredId),
    invalid(getChatInput, 'chatId', badRequiredId),
  ),
  getChatHistory: fc.oneof(
    invalid(getChatHistoryInput, 'businessId', badRequiredId),
    invalid(getChatHistoryInput, 'chatId', badRequiredId),
    invalid(getChatHistoryInput, 'messageIdFrom', notAPositiveSafeInteger),
    invalid(getChatHistoryInput, 'limit', badLimit(100)),
    invalid(getChatHistoryInput, 'pageToken', badPageToken),
  ),
  getChatMessage: fc.oneof(
    invalid(getChatMessageInput, 'businessId', badRequiredId),
    invalid(getChatMessageInput, 'chatId', badRequiredId),
    invalid(getChatMessageInput, 'messageId', badRequiredId),
  ),
  sendMessageToChat: fc.oneof(
    invalid(sendMessageInput, 'businessId', badRequiredId),
    invalid(sendMessageInput, 'chatId', badRequiredId),
    invalid(
      sendMessageInput,
      'message',
      fc.oneof(tooLongMessage, fc.constantFrom('', undefined, null, 42, ['hi'], { text: 'hi' })),
    ),
  ),
  sendFileToChat: fc.oneof(
    invalid(sendFileInput, 'businessId', badRequiredId),
    invalid(sendFileInput, 'chatId', badRequiredId),
    invalid(sendFileInput, 'file', badFile),
    invalid(sendFileInput, 'fileName', badFileName),
    invalid(sendFileInput, 'contentType', badContentType),
  ),
};

/** A misspelt field of each operation checked by name (createChat's own validator ignores unknown keys). */
export const MISSPELT: Readonly<Record<string, string>> = {
  getChats: 'filters',
  getChat: 'chatID',
  getChatHistory: 'messageIdfrom',
  getChatMessage: 'messageID',
  sendMessageToChat: 'text',
  sendFileToChat: 'filename',
};
