// Reads what the contract tests need straight from the OpenAPI document: the response codes of
// createChat, their named examples, the request examples and the rate-limit header examples.
// Nothing here is written down twice: a change to the spec changes the tests.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { resolveRef } from '../scripts/lib/spec-json.ts';

export const OPERATION_PATH = '/v2/businesses/{businessId}/chats/new';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface Spec {
  path: string;
  document: JsonObject;
}

export interface NamedExample {
  name: string;
  value: Json;
}

export interface ApiErrorExample {
  status: string;
  errors: { code: string; message?: string }[];
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function loadSpec(path: string): Spec {
  const document = parse(readFileSync(path, 'utf8')) as Json;
  if (!isObject(document)) throw new Error(`${path}: not an OpenAPI document`);
  return { path, document };
}

/** Follows a local `$ref` (`#/components/...`) if the node is one. */
function deref(spec: Spec, node: Json | undefined): Json | undefined {
  return resolveRef(node, spec.document) as Json | undefined;
}

function operation(spec: Spec): JsonObject {
  const paths = spec.document.paths;
  const item = isObject(paths) ? paths[OPERATION_PATH] : undefined;
  const post = isObject(item) ? item.post : undefined;
  if (!isObject(post)) throw new Error(`${spec.path}: no POST ${OPERATION_PATH}`);
  return post;
}

/** The response codes the spec declares for createChat, as written (`'200'`, `'420'`, maybe `'default'`). */
export function responseCodes(spec: Spec): string[] {
  const responses = operation(spec).responses;
  if (!isObject(responses)) throw new Error(`${spec.path}: createChat declares no responses`);
  return Object.keys(responses);
}

function response(spec: Spec, code: string): JsonObject {
  const responses = operation(spec).responses;
  const resolved = deref(spec, isObject(responses) ? responses[code] : undefined);
  if (!isObject(resolved)) throw new Error(`${spec.path}: createChat has no response ${code}`);
  return resolved;
}

function jsonExamples(spec: Spec, holder: JsonObject | undefined): NamedExample[] {
  const content = holder === undefined ? undefined : holder.content;
  const media = isObject(content) ? content['application/json'] : undefined;
  const examples = isObject(media) ? media.examples : undefined;
  if (!isObject(examples)) return [];
  return Object.entries(examples).map(([name, raw]) => {
    const example = deref(spec, raw);
    return { name, value: isObject(example) ? (example.value ?? null) : null };
  });
}

/** The named example `name` of response `code` (application/json). */
export function responseExample(spec: Spec, code: string, name: string): NamedExample {
  const found = jsonExamples(spec, response(spec, code)).find((example) => example.name === name);
  if (found === undefined) {
    const names = jsonExamples(spec, response(spec, code)).map((example) => example.name);
    throw new Error(
      `${spec.path}: response ${code} has no example named "${name}" (it has: ${names.join(', ') || 'none'})`,
    );
  }
  return found;
}

/** The example of an error response, checked to have the shape of ApiErrorResponse with at least one error. */
export function errorExample(spec: Spec, code: string, name: string): ApiErrorExample {
  const { value } = responseExample(spec, code, name);
  const errors = isObject(value) ? value.errors : undefined;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  if (!isObject(value) || typeof value.status !== 'string' || !Array.isArray(errors) || !isObject(first)) {
    throw new Error(`${spec.path}: example "${name}" of response ${code} has no errors[] to compare with`);
  }
  return value as unknown as ApiErrorExample;
}

/** The chatId of a 200 example. */
export function chatIdExample(spec: Spec, code: string, name: string): unknown {
  const { value } = responseExample(spec, code, name);
  const result = isObject(value) ? value.result : undefined;
  return isObject(result) ? result.chatId : undefined;
}

/** The request body examples of createChat (e.g. `order`, `return`). */
export function requestExamples(spec: Spec): NamedExample[] {
  return jsonExamples(
    spec,
    isObject(operation(spec).requestBody)
      ? (deref(spec, operation(spec).requestBody) as JsonObject)
      : undefined,
  );
}

/** The `example` of each response header of response `code`, by header name. */
export function headerExamples(spec: Spec, code: string): Record<string, Json> {
  const headers = response(spec, code).headers;
  const out: Record<string, Json> = {};
  if (!isObject(headers)) return out;
  for (const [name, raw] of Object.entries(headers)) {
    const header = deref(spec, raw);
    if (isObject(header) && header.example !== undefined) out[name] = header.example;
  }
  return out;
}
