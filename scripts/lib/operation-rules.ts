// The validation rules of every operation in the spec, for generated/rules.ts: what the client's runtime
// validator (src/internal/validate-input.ts) checks input and 200 bodies against.
import { HTTP_METHODS, isObject, type Json, resolveRef } from './spec-json.ts';

// JSON Schema keywords the client's runtime validator understands. A spec change that uses any other
// validation keyword (allOf, pattern, additionalProperties, ...) fails generation, instead of being
// silently unchecked at runtime.
const SUPPORTED_KEYWORDS = new Set([
  'type',
  'format',
  'nullable',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'enum',
  'required',
  'properties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
]);
// Annotations: they document a value but do not restrict it.
const DOC_KEYWORDS = new Set(['description', 'example', 'examples', 'deprecated', 'title', 'default']);

export interface ParameterRule {
  in: string;
  required: boolean;
  schema: Json;
}

export interface OperationRule {
  method: string;
  path: string;
  parameters: Record<string, ParameterRule>;
  requestBody?: { required: boolean; contentType: string; schema: Json };
  okResponseBody: Json;
}

/** The node with every local `$ref` in it replaced by what it points at. */
export function resolveRefs(node: unknown, root: Json): unknown {
  const resolved = resolveRef(node, root);
  if (Array.isArray(resolved)) return resolved.map((item) => resolveRefs(item, root));
  if (!isObject(resolved)) return resolved;
  return Object.fromEntries(Object.entries(resolved).map(([key, value]) => [key, resolveRefs(value, root)]));
}

/** Keeps the validation keywords of a resolved schema, and refuses keywords the runtime validator lacks. */
export function toRule(schema: Json, where: string): Json {
  const rule: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DOC_KEYWORDS.has(key)) continue;
    if (!SUPPORTED_KEYWORDS.has(key)) {
      throw new Error(
        `${where}: keyword "${key}" is not supported by src/internal/validate-input.ts; extend the validator and SUPPORTED_KEYWORDS (scripts/lib/operation-rules.ts) together`,
      );
    }
    if (key === 'properties') {
      const properties = Object.entries(value as Record<string, Json>);
      rule[key] = Object.fromEntries(
        properties.map(([name, sub]) => [name, toRule(sub, `${where}.${name}`)]),
      );
    } else {
      rule[key] = key === 'items' ? toRule(value as Json, `${where}[]`) : value;
    }
  }
  return rule;
}

/** The one media type of a request body or response, refusing none or several (the client sends one). */
function onlyMediaType(holder: Json, where: string): [contentType: string, schema: Json] {
  const entries = Object.entries(isObject(holder.content) ? holder.content : {});
  const [first] = entries;
  if (entries.length !== 1 || first === undefined) {
    throw new Error(
      `${where}: expected exactly one media type, found ${entries.map(([t]) => t).join(', ') || 'none'}`,
    );
  }
  const [contentType, media] = first;
  if (!isObject(media) || !isObject(media.schema)) throw new Error(`${where} ${contentType}: no schema`);
  return [contentType, media.schema];
}

// What the engine's sender (src/internal/send-request.ts) serializes: it has no array or object styles.
const PRIMITIVE_TYPES = ['integer', 'number', 'string', 'boolean'];
const PLAIN_TEMPLATE = /^\{\w+\}$/;

/** Refuses a path or query parameter, or a path template, that the engine's sender cannot send. */
function checkSendable(id: string, path: string, parameters: Record<string, ParameterRule>): void {
  for (const template of path.match(/\{[^{}]*\}/g) ?? []) {
    if (!PLAIN_TEMPLATE.test(template)) {
      throw new Error(
        `${id}: path template ${template} is not a plain {name}; src/internal/send-request.ts fills in only those`,
      );
    }
  }
  for (const [name, parameter] of Object.entries(parameters)) {
    const type = parameter.schema.type;
    if ((parameter.in === 'path' || parameter.in === 'query') && !PRIMITIVE_TYPES.includes(type as string)) {
      throw new Error(
        `${id}: ${parameter.in} parameter ${name} is of type ${String(type)}; src/internal/send-request.ts sends only ${PRIMITIVE_TYPES.slice(0, -1).join(', ')} or boolean`,
      );
    }
  }
}

function operationRule(method: string, path: string, item: Json, operation: Json, id: string): OperationRule {
  const parameters: Record<string, ParameterRule> = {};
  const declared = [item.parameters, operation.parameters].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  for (const parameter of declared as Json[]) {
    const name = String(parameter.name);
    // Operation-level parameters override path-level ones of the same name and place (OpenAPI 3.0).
    const existing = parameters[name];
    if (existing !== undefined && existing.in !== parameter.in) {
      throw new Error(
        `${id}: two parameters named "${name}" (in ${existing.in} and ${String(parameter.in)})`,
      );
    }
    if (!isObject(parameter.schema)) throw new Error(`${id}: parameter ${name} has no schema`);
    parameters[name] = {
      in: String(parameter.in),
      required: parameter.required === true,
      schema: toRule(parameter.schema, `${id}.parameters.${name}`),
    };
  }
  checkSendable(id, path, parameters);
  const rule: OperationRule = { method, path, parameters, okResponseBody: {} };
  if (isObject(operation.requestBody)) {
    const [contentType, schema] = onlyMediaType(operation.requestBody, `${id}.requestBody`);
    rule.requestBody = {
      required: operation.requestBody.required === true,
      contentType,
      schema: toRule(schema, `${id}.requestBody`),
    };
  }
  const ok = isObject(operation.responses) ? operation.responses['200'] : undefined;
  if (!isObject(ok)) throw new Error(`${id}: no 200 response`);
  const [okType, okSchema] = onlyMediaType(ok, `${id}.responses.200`);
  if (okType !== 'application/json')
    throw new Error(`${id}.responses.200: expected application/json, found ${okType}`);
  rule.okResponseBody = toRule(okSchema, `${id}.okResponseBody`);
  return rule;
}

/** Every operation of the spec, keyed by operationId, in the spec's order. */
export function operationRules(spec: Json): Record<string, OperationRule> {
  const resolved = resolveRefs(spec.paths, spec);
  const rules: Record<string, OperationRule> = {};
  for (const [path, item] of Object.entries(isObject(resolved) ? resolved : {})) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const id = operation.operationId;
      if (typeof id !== 'string') throw new Error(`${method.toUpperCase()} ${path}: no operationId`);
      if (id in rules) throw new Error(`operationId "${id}" is used twice`);
      rules[id] = operationRule(method, path, item, operation, id);
    }
  }
  if (Object.keys(rules).length === 0) throw new Error('the spec has no operations');
  return rules;
}
