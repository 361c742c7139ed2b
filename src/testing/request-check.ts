// Checks one request against openapi.yaml: which operation it is, its credential, path and query
// parameters, content type and body. Returns what it read and every rule it broke.
import { apiOperations, type SpecOperation } from './api-operations.ts';
import { loadSpec } from './spec-files.ts';
import { type ErrorsAt, specValidator } from './spec-validator.ts';

/** What a JSON body and a file may weigh, from the spec's texts (BadRequest, sendFileToChat). */
const MAX_JSON_BYTES = 512 * 1024;
export const MAX_FILE_BYTES = 5_000_000;
const MAX_MESSAGE_UTF16 = 4096;

export interface IncomingRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
}

export interface SentFile {
  name: string;
  size: number;
  type: string;
}

export interface CheckedRequest {
  operation: SpecOperation | undefined;
  /** Path and query parameters, converted to their schema's type where they fit it. */
  params: Record<string, unknown>;
  /** The JSON body, or `{ file }` for a multipart one, or the raw text when it is not readable. */
  body: unknown;
  /** The credential is missing or malformed: the API answers 401. */
  unauthorized: boolean;
  violations: string[];
}

let errorsAt: ErrorsAt | undefined;
const validator = (): ErrorsAt => {
  errorsAt ??= specValidator(loadSpec('openapi'));
  return errorsAt;
};

/** A parameter's text as its schema's type: the spec's parameters are integers and strings. */
const convert = (raw: string, type: string | undefined): unknown =>
  type === 'integer' && /^-?\d+$/.test(raw) ? Number(raw) : raw;

/** A path segment decoded; one that is not valid percent-encoding stays as it came (the schema names it). */
function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function credentialProblem(headers: Headers): string | undefined {
  const apiKey = headers.get('api-key');
  const authorization = headers.get('authorization');
  if (apiKey !== null) {
    // Headers trims the value: a key of spaces is empty too.
    if (apiKey === '') return 'Api-Key header is empty';
    if (/^(bearer|oauth)\s/i.test(apiKey)) return 'Api-Key header must be the bare token, without a prefix';
    return undefined;
  }
  if (authorization !== null) {
    return /^Bearer \S+$/.test(authorization) ? undefined : 'Authorization header must be "Bearer <token>"';
  }
  return 'no credential: send an Api-Key header (or Authorization: Bearer <OAuth token>)';
}

function checkParameters(operation: SpecOperation, request: IncomingRequest, match: RegExpExecArray) {
  const params: Record<string, unknown> = {};
  const violations: string[] = [];
  const path = match.groups ?? {};
  // The spec's parameters are in the path or the query (its credential headers are security schemes).
  for (const parameter of operation.parameters) {
    let raw: string | undefined;
    if (parameter.in === 'path') raw = path[parameter.name];
    else {
      const values = request.url.searchParams.getAll(parameter.name);
      if (values.length > 1) violations.push(`query ${parameter.name}: given ${values.length} times`);
      raw = values[0];
    }
    if (raw === undefined) {
      if (parameter.required) violations.push(`${parameter.in} ${parameter.name}: is required`);
      continue;
    }
    const value = convert(parameter.in === 'path' ? decodePath(raw) : raw, parameter.type);
    params[parameter.name] = value;
    for (const error of validator()(parameter.schemaPath, value)) {
      violations.push(`${parameter.in} ${parameter.name}: ${error.replace('(root) ', '')}`);
    }
  }
  return { params, violations };
}

async function readMultipart(request: IncomingRequest, contentType: string) {
  const form = await new Request('http://mock.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new Uint8Array(request.body),
  }).formData();
  const body: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    body[name] = typeof value === 'string' ? value : { name: value.name, size: value.size, type: value.type };
  }
  return body;
}

/** The body as the schema sees it: a file part is a string of format binary. */
const asSchemaValue = (body: Record<string, unknown>) =>
  Object.fromEntries(
    // Stryker disable next-line ConditionalExpression,StringLiteral: the spec's only part is a string of format binary, which takes any text
    Object.entries(body).map(([key, value]) => [key, typeof value === 'string' ? value : '(binary)']),
  );

async function checkBody(operation: SpecOperation, request: IncomingRequest) {
  const violations: string[] = [];
  const spec = operation.body;
  if (spec === undefined) return { body: undefined, violations };
  if (request.body.byteLength === 0) {
    // Stryker disable next-line ConditionalExpression: every body of the spec is required
    if (spec.required) violations.push('body: is required');
    return { body: undefined, violations };
  }
  const contentType = request.headers.get('content-type') ?? '';
  // Stryker disable next-line OptionalChaining,LogicalOperator,StringLiteral: split always gives a first item
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const schemaPath = spec.media[mediaType];
  if (schemaPath === undefined) {
    violations.push(
      // Stryker disable next-line StringLiteral: each operation of the spec has one media type
      `header Content-Type: ${contentType || '(none)'} is not one of ${Object.keys(spec.media).join(', ')}`,
    );
    return { body: new TextDecoder().decode(request.body), violations };
  }
  if (mediaType === 'multipart/form-data') {
    let body: Record<string, unknown>;
    try {
      body = await readMultipart(request, contentType);
    } catch {
      violations.push('body: is not a readable multipart/form-data body (check its boundary)');
      return { body: undefined, violations };
    }
    for (const error of validator()(schemaPath, asSchemaValue(body))) violations.push(`body: ${error}`);
    for (const value of Object.values(body)) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: a text part has no size to compare
      if (typeof value === 'object' && value !== null && (value as SentFile).size > MAX_FILE_BYTES) {
        violations.push(`body: File size exceeds the limit of 5 MB (${MAX_FILE_BYTES} bytes)`);
      }
    }
    return { body, violations: [...violations, ...ruleViolations(operation, body)] };
  }
  const text = new TextDecoder().decode(request.body);
  if (request.body.byteLength > MAX_JSON_BYTES) violations.push(`body: larger than ${MAX_JSON_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    violations.push('body: is not valid JSON');
    return { body: text, violations };
  }
  for (const error of validator()(schemaPath, body)) violations.push(`body: ${error}`);
  return { body, violations: [...violations, ...ruleViolations(operation, body)] };
}

/** Rules the spec states in words rather than in the schema. */
function ruleViolations(operation: SpecOperation, body: unknown): string[] {
  const value = (body ?? {}) as Record<string, unknown>;
  if (operation.operationId === 'createChat' && value.context === undefined && value.orderId === undefined) {
    return ['body: needs context (or the deprecated orderId)'];
  }
  if (operation.operationId === 'sendFileToChat' && typeof value.file === 'string') {
    return ['body: file must be a file part (with a filename), not a text field'];
  }
  const message = operation.operationId === 'sendMessageToChat' ? value.message : undefined;
  if (typeof message === 'string' && message.length > MAX_MESSAGE_UTF16) {
    return [`body: message is ${message.length} UTF-16 units, more than ${MAX_MESSAGE_UTF16}`];
  }
  return [];
}

export async function checkRequest(request: IncomingRequest): Promise<CheckedRequest> {
  const path = request.url.pathname;
  for (const operation of apiOperations()) {
    const match = operation.pattern.exec(path);
    if (match === null || operation.method !== request.method) continue;
    const credential = credentialProblem(request.headers);
    const parameters = checkParameters(operation, request, match);
    const body = await checkBody(operation, request);
    return {
      operation,
      params: parameters.params,
      body: body.body,
      unauthorized: credential !== undefined,
      violations: [
        ...(credential === undefined ? [] : [credential]),
        ...parameters.violations,
        ...body.violations,
      ],
    };
  }
  const known = apiOperations().some((operation) => operation.pattern.test(path));
  return {
    operation: undefined,
    params: {},
    body: undefined,
    unauthorized: false,
    violations: [
      known
        ? `method ${request.method} is not allowed on ${path}`
        : `no operation of the spec has the path ${path}`,
    ],
  };
}
