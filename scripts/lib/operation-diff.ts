// Compares the operations of two specs: operations, parameters, request bodies, responses and their
// headers, each schema with schema-diff.ts. Security schemes, servers and `x-` extensions are not compared.
import { type SchemaChange, type Side, schemaChanges } from './schema-diff.ts';
import { HTTP_METHODS, isObject, type Json, resolveRef } from './spec-json.ts';

export interface Change {
  breaking: boolean;
  /** The operationId (or `POST /path` without one). */
  operation: string;
  /** The part of the operation: `query parameter "limit"`, `request body`, `response 200`, ''. */
  place: string;
  /** Within the place's schema, '' at its root. */
  field: string;
  what: string;
}

interface Specs {
  before: Json;
  after: Json;
}

const entries = (value: unknown): Array<[string, unknown]> => (isObject(value) ? Object.entries(value) : []);

/** The operations of a spec, keyed by `METHOD /path`, each with its path item's parameters merged in. */
function operationsOf(spec: Json): Map<string, { operation: Json; parameters: Map<string, Json> }> {
  const found = new Map<string, { operation: Json; parameters: Map<string, Json> }>();
  for (const [path, rawItem] of entries(spec.paths)) {
    const item = resolveRef(rawItem, spec);
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const parameters = new Map<string, Json>();
      for (const list of [item.parameters, operation.parameters]) {
        for (const raw of Array.isArray(list) ? list : []) {
          const parameter = resolveRef(raw, spec);
          if (!isObject(parameter)) continue;
          const name = String(parameter.name);
          // Header names are case-insensitive; an operation's parameter overrides its path item's.
          parameters.set(
            `${String(parameter.in)} ${parameter.in === 'header' ? name.toLowerCase() : name}`,
            parameter,
          );
        }
      }
      found.set(`${method.toUpperCase()} ${path}`, { operation, parameters });
    }
  }
  return found;
}

class OperationComparison {
  readonly changes: Change[] = [];

  constructor(
    private readonly specs: Specs,
    private readonly operation: string,
  ) {}

  add(breaking: boolean, place: string, what: string, field = ''): void {
    this.changes.push({ breaking, operation: this.operation, place, field, what });
  }

  schemas(place: string, old: unknown, now: unknown, side: Side): void {
    for (const change of schemaChanges(old, now, side, this.specs)) this.fromSchema(place, change);
  }

  private fromSchema(place: string, { breaking, field, what }: SchemaChange): void {
    this.add(breaking, place, what, field);
  }

  parameters(before: Map<string, Json>, after: Map<string, Json>): void {
    for (const [key, old] of before) {
      const place = `${String(old.in)} parameter "${String(old.name)}"`;
      const now = after.get(key);
      if (now === undefined) {
        this.add(true, place, 'removed');
        continue;
      }
      if (old.required !== true && now.required === true) this.add(true, place, 'made required');
      if (old.required === true && now.required !== true) this.add(false, place, 'no longer required');
      this.schemas(place, old.schema, now.schema, 'request');
    }
    for (const [key, now] of after) {
      if (before.has(key)) continue;
      const required = now.required === true;
      this.add(
        required,
        `${String(now.in)} parameter "${String(now.name)}"`,
        required ? 'added, required' : 'added, optional',
      );
    }
  }

  content(place: string, old: unknown, now: unknown, side: Side): void {
    const after = new Map(entries(now));
    for (const [type, media] of entries(old)) {
      const where = type === 'application/json' ? place : `${place} (${type})`;
      const current = after.get(type);
      if (current === undefined) this.add(true, where, `media type ${type} removed`);
      else
        this.schemas(
          where,
          isObject(media) ? media.schema : undefined,
          isObject(current) ? current.schema : undefined,
          side,
        );
    }
    for (const type of after.keys()) {
      if (!entries(old).some(([known]) => known === type)) this.add(false, place, `media type ${type} added`);
    }
  }

  requestBody(oldRaw: unknown, newRaw: unknown): void {
    const old = resolveRef(oldRaw, this.specs.before);
    const now = resolveRef(newRaw, this.specs.after);
    if (!isObject(old) && !isObject(now)) return;
    if (!isObject(now)) {
      this.add(true, 'request body', 'removed');
      return;
    }
    if (!isObject(old)) {
      const required = now.required === true;
      this.add(required, 'request body', required ? 'added, required' : 'added, optional');
      return;
    }
    if (old.required !== true && now.required === true) this.add(true, 'request body', 'made required');
    if (old.required === true && now.required !== true) this.add(false, 'request body', 'no longer required');
    this.content('request body', old.content, now.content, 'request');
  }

  responses(oldRaw: unknown, newRaw: unknown): void {
    const after = new Map(entries(newRaw));
    for (const [status, rawOld] of entries(oldRaw)) {
      const place = `response ${status}`;
      const rawNew = after.get(status);
      if (rawNew === undefined) {
        this.add(true, place, 'removed');
        continue;
      }
      const old = resolveRef(rawOld, this.specs.before);
      const now = resolveRef(rawNew, this.specs.after);
      if (!isObject(old) || !isObject(now)) continue;
      this.headers(place, old.headers, now.headers);
      this.content(place, old.content, now.content, 'response');
    }
    for (const status of after.keys()) {
      if (!entries(oldRaw).some(([known]) => known === status))
        this.add(false, `response ${status}`, 'added');
    }
  }

  private headers(place: string, oldRaw: unknown, newRaw: unknown): void {
    const lower = (list: unknown, spec: Json) =>
      new Map(
        entries(list).map(([name, raw]) => [name.toLowerCase(), { name, header: resolveRef(raw, spec) }]),
      );
    const before = lower(oldRaw, this.specs.before);
    const after = lower(newRaw, this.specs.after);
    for (const [key, { name, header }] of before) {
      const where = `${place} header "${name}"`;
      const old = isObject(header) ? header : {};
      const current = after.get(key)?.header;
      if (current === undefined) {
        // Readers rely on a required header; an optional one they had to expect missing anyway.
        this.add(old.required === true, where, old.required === true ? 'required header removed' : 'removed');
        continue;
      }
      const now = isObject(current) ? current : {};
      if (old.required === true && now.required !== true) this.add(true, where, 'no longer required');
      this.schemas(where, old.schema, now.schema, 'response');
    }
    for (const [key, { name }] of after)
      if (!before.has(key)) this.add(false, `${place} header "${name}"`, 'added');
  }
}

/** Every change between the operations of `before` and `after` (two parsed OpenAPI 3 documents). */
export function operationChanges(before: Json, after: Json): Change[] {
  const specs = { before, after };
  const old = operationsOf(before);
  const now = operationsOf(after);
  const changes: Change[] = [];
  const nameOf = (key: string, operation: Json) =>
    typeof operation.operationId === 'string' ? operation.operationId : key;
  for (const [key, was] of old) {
    const is = now.get(key);
    if (is === undefined) {
      changes.push({
        breaking: true,
        operation: nameOf(key, was.operation),
        place: '',
        field: '',
        what: `operation removed (${key})`,
      });
      continue;
    }
    const comparison = new OperationComparison(specs, nameOf(key, is.operation));
    comparison.parameters(was.parameters, is.parameters);
    comparison.requestBody(was.operation.requestBody, is.operation.requestBody);
    comparison.responses(was.operation.responses, is.operation.responses);
    changes.push(...comparison.changes);
  }
  for (const [key, is] of now) {
    if (!old.has(key)) {
      changes.push({
        breaking: false,
        operation: nameOf(key, is.operation),
        place: '',
        field: '',
        what: `operation added (${key})`,
      });
    }
  }
  return changes;
}
