// Reads what the contract tests need straight from the OpenAPI document: its operations, their response
// codes, named examples, request examples and rate-limit header examples.
// Nothing here is written down twice: a change to the spec changes the tests.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { HTTP_METHODS, resolveRef } from '../scripts/lib/spec-json.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

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

/** One operation of the spec, as the tests address it. */
export interface SpecOperation {
  operationId: string;
  method: string;
  /** The path template, e.g. `/v2/businesses/{businessId}/chats/new`. */
  path: string;
  /** The response codes as written (`'200'`, `'420'`, maybe `'default'`). */
  codes: string[];
}

export function isObject(value: Json | undefined): value is JsonObject {
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

function operationEntries(spec: Spec): { method: string; path: string; node: JsonObject }[] {
  const paths = spec.document.paths;
  if (!isObject(paths)) throw new Error(`${spec.path}: no paths`);
  return Object.entries(paths).flatMap(([path, item]) =>
    isObject(item)
      ? HTTP_METHODS.flatMap((method) => {
          const node = item[method];
          return isObject(node) ? [{ method, path, node }] : [];
        })
      : [],
  );
}

/** Every operation the spec declares, in the spec's order. */
export function specOperations(spec: Spec): SpecOperation[] {
  return operationEntries(spec).map(({ method, path, node }) => {
    if (typeof node.operationId !== 'string') {
      throw new Error(`${spec.path}: ${method.toUpperCase()} ${path} has no operationId`);
    }
    const responses = node.responses;
    return {
      operationId: node.operationId,
      method,
      path,
      codes: isObject(responses) ? Object.keys(responses) : [],
    };
  });
}

function operationNode(spec: Spec, operationId: string): JsonObject {
  const found = operationEntries(spec).find(({ node }) => node.operationId === operationId);
  if (found === undefined) throw new Error(`${spec.path}: no operation ${operationId}`);
  return found.node;
}

/** The operation `operationId` (its method, path template and codes). */
export function specOperation(spec: Spec, operationId: string): SpecOperation {
  const found = specOperations(spec).find((operation) => operation.operationId === operationId);
  if (found === undefined) throw new Error(`${spec.path}: no operation ${operationId}`);
  return found;
}

function response(spec: Spec, operationId: string, code: string): JsonObject {
  const responses = operationNode(spec, operationId).responses;
  const resolved = deref(spec, isObject(responses) ? responses[code] : undefined);
  if (!isObject(resolved)) throw new Error(`${spec.path}: ${operationId} has no response ${code}`);
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

/** The named examples of response `code` of an operation (application/json). */
export function responseExamples(spec: Spec, operationId: string, code: string): NamedExample[] {
  return jsonExamples(spec, response(spec, operationId, code));
}

/** The named example `name` of response `code` of an operation. */
export function responseExample(spec: Spec, operationId: string, code: string, name: string): NamedExample {
  const examples = responseExamples(spec, operationId, code);
  const found = examples.find((example) => example.name === name);
  if (found === undefined) {
    const names = examples.map((example) => example.name);
    throw new Error(
      `${spec.path}: ${operationId} response ${code} has no example named "${name}" (it has: ${names.join(', ') || 'none'})`,
    );
  }
  return found;
}

/** The example of an error response, checked to have the shape of ApiErrorResponse with at least one error. */
export function errorExample(spec: Spec, operationId: string, code: string, name: string): ApiErrorExample {
  const { value } = responseExample(spec, operationId, code, name);
  const errors = isObject(value) ? value.errors : undefined;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  if (!isObject(value) || typeof value.status !== 'string' || !Array.isArray(errors) || !isObject(first)) {
    throw new Error(
      `${spec.path}: example "${name}" of ${operationId} response ${code} has no errors[] to compare with`,
    );
  }
  return value as unknown as ApiErrorExample;
}

/** The request body examples of an operation (application/json), e.g. createChat's `order` and `return`. */
export function requestExamples(spec: Spec, operationId: string): NamedExample[] {
  const body = deref(spec, operationNode(spec, operationId).requestBody);
  return jsonExamples(spec, isObject(body) ? body : undefined);
}

/** The media types the operation's request body may have, e.g. `['multipart/form-data']`. */
export function requestMediaTypes(spec: Spec, operationId: string): string[] {
  const body = deref(spec, operationNode(spec, operationId).requestBody);
  const content = isObject(body) ? body.content : undefined;
  return isObject(content) ? Object.keys(content) : [];
}

/** The `example` of each response header of response `code`, by header name. */
export function headerExamples(spec: Spec, operationId: string, code: string): Record<string, Json> {
  const headers = response(spec, operationId, code).headers;
  const out: Record<string, Json> = {};
  if (!isObject(headers)) return out;
  for (const [name, raw] of Object.entries(headers)) {
    const header = deref(spec, raw);
    if (isObject(header) && header.example !== undefined) out[name] = header.example;
  }
  return out;
}

/** The `enum` of schema `components.schemas[name]`, e.g. the chat statuses. */
export function schemaEnum(spec: Spec, name: string): string[] {
  const components = spec.document.components;
  const schemas = isObject(components) ? components.schemas : undefined;
  const schema = isObject(schemas) ? schemas[name] : undefined;
  const values = isObject(schema) ? schema.enum : undefined;
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
    throw new Error(`${spec.path}: schema ${name} has no string enum`);
  }
  return values as string[];
}
