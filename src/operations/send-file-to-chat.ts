import { operationRules } from '../../generated/rules.ts';
import { ValidationError } from '../errors/validation-error.ts';
import type { Operation } from '../internal/operation.ts';
import { checkParameters, inputRecord } from '../internal/operation-input.ts';
import { describe } from '../internal/validate-input.ts';
import { readDone } from './read-result.ts';

/**
 * Yandex allows "5 MB" without saying which megabyte; this is the smaller reading (5,000,000 bytes, not
 * 5 MiB), so that a file Yandex might refuse is refused here, before it costs the upload and quota.
 */
export const MAX_FILE_BYTES = 5_000_000;

export interface SendFileToChatInput {
  businessId: number;
  chatId: number;
  /** The file's bytes: a Blob (a File is one) or a Uint8Array (a Node Buffer is one); 1 to 5,000,000 bytes. */
  file: Blob | Uint8Array;
  /** The name the customer sees, e.g. `invoice.pdf`: 1 to 255 characters, no control characters. */
  fileName: string;
  /** The part's media type, e.g. `application/pdf`. Default: the Blob's own type, else `application/octet-stream`. */
  contentType?: string | undefined;
}

interface ValidSendFileToChatInput {
  businessId: number;
  chatId: number;
  /** Built once, so that every attempt sends the same bytes even if the caller changes its array meanwhile. */
  form: FormData;
}

const rules = operationRules.sendFileToChat;
/** `type/subtype`, with parameters such as `; charset=utf-8` (RFC 9110 media-type, tokens simplified). */
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;\s*[\w!#$&^.+-]+=(?:[\w!#$&^.+-]+|"[^"\\]*"))*$/;

/**
 * `POST /v2/businesses/{businessId}/chats/file/send?chatId=`: a file the customer sees, as
 * multipart/form-data with one part, `file`. A write: sent again only when the API surely did not act.
 */
export const sendFileToChat: Operation<SendFileToChatInput, void, ValidSendFileToChatInput> = {
  name: 'sendFileToChat',
  method: rules.method,
  path: rules.path,
  retry: 'write',
  validate(input) {
    const record = inputRecord(input, ['businessId', 'chatId', 'file', 'fileName', 'contentType']);
    checkParameters(rules, record, ['businessId', 'chatId']);
    const { businessId, chatId, file, fileName, contentType } = record as unknown as SendFileToChatInput;
    const bytes = checkFile(file);
    const type = checkContentType(
      contentType ?? (file instanceof Blob && file.type !== '' ? file.type : undefined),
    );
    const form = new FormData();
    form.append(
      'file',
      bytes instanceof Blob
        ? bytes.slice(0, bytes.size, type)
        : new Blob([bytes as Uint8Array<ArrayBuffer>], { type }),
      checkFileName(fileName),
    );
    return { businessId, chatId, form };
  },
  toRequest: ({ businessId, chatId, form }) => ({ path: { businessId }, query: { chatId }, body: form }),
  readResult: readDone,
};

function checkFile(file: unknown): Blob | Uint8Array {
  if (!(file instanceof Blob) && !(file instanceof Uint8Array)) {
    throw new ValidationError(
      'file',
      `must be a Blob or a Uint8Array (a Node Buffer is one), got ${describe(file)}`,
    );
  }
  const size = file instanceof Blob ? file.size : file.byteLength;
  if (size === 0) throw new ValidationError('file', 'must not be empty');
  if (size > MAX_FILE_BYTES) {
    throw new ValidationError(
      'file',
      `must be at most ${MAX_FILE_BYTES} bytes (Yandex's 5 MB), got ${size} bytes`,
    );
  }
  // A copy: the caller may reuse its array while the call is still being retried.
  // Stryker disable next-line MethodExpression: validate wraps the bytes in a new Blob at once, which copies them too; the copy states the intent
  return file instanceof Blob ? file : file.slice();
}

function checkFileName(name: unknown): string {
  if (name === undefined) throw new ValidationError('fileName', 'is required: the name the customer sees');
  if (typeof name !== 'string' || name.length === 0 || name.length > 255 || hasControlCharacter(name)) {
    throw new ValidationError(
      'fileName',
      `must be 1 to 255 characters without control characters, got ${describe(name)}`,
    );
  }
  return name;
}

function checkContentType(type: unknown): string {
  // Stryker disable next-line StringLiteral: FormData sends a part without a type as application/octet-stream too; the name says it
  if (type === undefined) return 'application/octet-stream';
  if (typeof type !== 'string' || !MEDIA_TYPE.test(type)) {
    throw new ValidationError(
      'contentType',
      `must be a media type such as application/pdf, got ${describe(type)}`,
    );
  }
  return type;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
