// The Partner API's operations as the mock needs them, read from openapi.yaml: how to match a request,
// its parameters and body schema (as paths into the spec, for Ajv), its answer codes and hourly quota.
import { loadSpec, locate } from './spec-files.ts';
import { isObject, type JsonObject, pointer } from './spec-validator.ts';

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

// The methods an OpenAPI path item may hold operations under (the spec uses get and post).
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** The hourly quota of an operation without `x-resource-limit-config`. */
const DEFAULT_QUOTA = 1000;

function readParameters(raw: unknown, at: string[], spec: JsonObject): SpecParameter[] {
  return ((raw ?? []) as unknown[]).map((item, i) => {
    const { node, path } = locate(item, [...at, String(i)], spec);
    if (!isObject(node) || typeof node.name !== 'string')
      throw new Error(`bad parameter at #/${pointer(path)}: it needs a name`);
    const schema = locate(node.schema, [...path, 'schema'], spec);
    const type = (schema.node as { type?: string } | undefined)?.type;
    return {
      name: node.name,
      in: node.in as SpecParameter['in'],
      required: node.required === true,
      schemaPath: schema.path,
      type,
    };
  });
}

function readResponses(raw: JsonObject, at: string[], spec: JsonObject): SpecOperation['responses'] {
  const out: SpecOperation['responses'] = {};
  for (const [code, item] of Object.entries(raw)) {
    const { node, path } = locate(item, [...at, code], spec);
    const response = node as { content?: JsonObject; headers?: JsonObject };
    const json = response.content?.['application/json'] as { examples?: JsonObject } | undefined;
    const headers: SpecOperation['responses'][string]['headers'] = {};
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const found = locate(header, [...path, 'headers', name], spec);
      headers[name] = {
        required: (found.node as JsonObject).required === true,
        schemaPath: [...found.path, 'schema'],
      };
    }
    const examples = Object.values(json?.examples ?? {}).map(
      (example) => (locate(example, [], spec).node as JsonObject).value,
    );
    out[code] = { schemaPath: [...path, 'content', 'application/json', 'schema'], headers, examples };
  }
  return out;
}

/** The operations of `spec` (a parsed OpenAPI 3.0 document). */
export function readOperations(spec: JsonObject): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [template, item] of Object.entries(spec.paths as Record<string, JsonObject>)) {
    for (const method of METHODS) {
      const node = item[method] as JsonObject | undefined;
      if (node === undefined) continue;
      const at = ['paths', template, method];
      const body = locate(node.requestBody, [...at, 'requestBody'], spec);
      const limit = node['x-resource-limit-config'] as { amount?: number } | undefined;
      const names = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{(\w+)\\\}/g, '(?<$1>[^/]+)');
      operations.push({
        operationId: node.operationId as OperationId,
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${names}$`),
        parameters: [
          ...readParameters(item.parameters, ['paths', template, 'parameters'], spec),
          ...readParameters(node.parameters, [...at, 'parameters'], spec),
        ],
        body: isObject(body.node)
          ? {
              required: body.node.required === true,
              media: Object.fromEntries(
                Object.keys(body.node.content as JsonObject).map((type) => [
                  type,
                  [...body.path, 'content', type, 'schema'],
                ]),
              ),
            }
          : undefined,
        responses: readResponses(node.responses as JsonObject, [...at, 'responses'], spec),
        quota: limit?.amount ?? DEFAULT_QUOTA,
      });
    }
  }
  return operations;
}

let cached: SpecOperation[] | undefined;

/** Every operation of openapi.yaml, read once. */
export function apiOperations(): SpecOperation[] {
  cached ??= readOperations(loadSpec('openapi'));
  return cached;
}

export function findOperation(operationId: string): SpecOperation | undefined {
  return apiOperations().find((operation) => operation.operationId === operationId);
}
