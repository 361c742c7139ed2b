// The Partner API's operations as the mock needs them, read from openapi.yaml: how to match a request,
// its parameters and body schema (as paths into the spec, for Ajv), its answer codes and hourly quota.
import { loadSpec, locate } from './spec-files.ts';
import { isObject, type JsonObject } from './spec-validator.ts';

export type OperationId =
  | 'createChat'
  | 'getChats'
  | 'getChat'
  | 'getChatHistory'
  | 'getChatMessage'
  | 'sendMessageToChat'
  | 'sendFileToChat';

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** The parameter's schema, as a path into the spec. */
  schemaPath: string[];
  type: string | undefined;
}

export interface SpecOperation {
  operationId: OperationId;
  method: string;
  template: string;
  pattern: RegExp;
  parameters: SpecParameter[];
  body: { required: boolean; media: Record<string, string[]> } | undefined;
  /** Answer code -> the path of its JSON schema and of its headers. */
  responses: Record<
    string,
    {
      schemaPath: string[];
      headers: Record<string, { required: boolean; schemaPath: string[] }>;
      examples: unknown[];
    }
  >;
  quota: number;
}

// Stryker disable next-line StringLiteral: the spec has no PUT, DELETE or PATCH operation
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function readParameters(raw: unknown, at: string[], spec: JsonObject): SpecParameter[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((item, i) => {
    const { node, path } = locate(item, [...at, String(i)], spec);
    if (!isObject(node) || typeof node.name !== 'string')
      throw new Error(`bad parameter at ${path.join('/')}`);
    const schema = locate(node.schema, [...path, 'schema'], spec);
    const type = isObject(schema.node) && typeof schema.node.type === 'string' ? schema.node.type : undefined;
    return {
      name: node.name,
      in: node.in as SpecParameter['in'],
      required: node.required === true,
      schemaPath: schema.path,
      type,
    };
  });
}

function readMedia(content: unknown, at: string[]): Record<string, string[]> {
  const media: Record<string, string[]> = {};
  for (const type of Object.keys(isObject(content) ? content : {})) media[type] = [...at, type, 'schema'];
  return media;
}

function readResponses(raw: unknown, at: string[], spec: JsonObject): SpecOperation['responses'] {
  const out: SpecOperation['responses'] = {};
  for (const [code, item] of Object.entries(isObject(raw) ? raw : {})) {
    const { node, path } = locate(item, [...at, code], spec);
    if (!isObject(node)) continue;
    const json = isObject(node.content) ? node.content['application/json'] : undefined;
    const headers: Record<string, { required: boolean; schemaPath: string[] }> = {};
    for (const [name, header] of Object.entries(isObject(node.headers) ? node.headers : {})) {
      const found = locate(header, [...path, 'headers', name], spec);
      const required = isObject(found.node) && found.node.required === true;
      headers[name] = { required, schemaPath: [...found.path, 'schema'] };
    }
    const examples = Object.values(isObject(json) && isObject(json.examples) ? json.examples : {})
      .map((example) => locate(example, [], spec).node)
      .map((example) => (isObject(example) ? example.value : undefined));
    out[code] = { schemaPath: [...path, 'content', 'application/json', 'schema'], headers, examples };
  }
  return out;
}

let cached: SpecOperation[] | undefined;

/** Every operation of openapi.yaml. */
export function apiOperations(): SpecOperation[] {
  if (cached !== undefined) return cached;
  const spec = loadSpec('openapi');
  const operations: SpecOperation[] = [];
  for (const [template, item] of Object.entries(isObject(spec.paths) ? spec.paths : {})) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const node = item[method];
      if (!isObject(node)) continue;
      const at = ['paths', template, method];
      const body = locate(node.requestBody, [...at, 'requestBody'], spec);
      const limit = node['x-resource-limit-config'];
      const names = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{(\w+)\\\}/g, '(?<$1>[^/]+)');
      operations.push({
        operationId: node.operationId as OperationId,
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${names}$`),
        parameters: [
          // Stryker disable next-line ArrayDeclaration,StringLiteral: the spec declares no path-level parameters
          ...readParameters(item.parameters, ['paths', template, 'parameters'], spec),
          ...readParameters(node.parameters, [...at, 'parameters'], spec),
        ],
        body: isObject(body.node)
          ? {
              required: body.node.required === true,
              media: readMedia(body.node.content, [...body.path, 'content']),
            }
          : undefined,
        responses: readResponses(node.responses, [...at, 'responses'], spec),
        quota: isObject(limit) && typeof limit.amount === 'number' ? limit.amount : 1000,
      });
    }
  }
  cached = operations;
  return operations;
}

export function findOperation(operationId: string): SpecOperation | undefined {
  return apiOperations().find((operation) => operation.operationId === operationId);
}
