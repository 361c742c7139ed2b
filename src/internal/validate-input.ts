// Checks values against the JSON-schema subset that `npm run generate` extracts from the spec into
// generated/rules.ts, so the client's input and response checks cannot drift from the spec.
// Generation fails if the spec starts using a keyword this interpreter does not know.
import { operationRules } from '../../generated/rules.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { isDateTime } from './date-time.ts';

/** The JSON-schema subset the spec may use in a rule; scripts/lib/operation-rules.ts refuses every other keyword. */
export interface Rule {
  readonly type?: 'integer' | 'number' | 'string' | 'boolean' | 'object' | 'array';
  /** int32 and int64 are checked (as integers), date-time is checked (RFC 3339); others, e.g. binary, are not. */
  readonly format?: string;
  /** OpenAPI 3.0: null is allowed only when true, and then nothing else is checked. */
  readonly nullable?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly required?: readonly string[];
  readonly properties?: { readonly [name: string]: Rule };
  readonly items?: Rule;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
}

export interface Problem {
  field: string;
  problem: string;
}

/** A problem of findProblems, with the value at `field` (undefined when it is missing). */
export interface FoundProblem extends Problem {
  got: unknown;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

export interface FindOptions {
  /**
   * Accept a value that an `enum` does not list, if it has the enum's type. For responses: Yandex adds
   * enum values over time (ChatContextType gained DIRECT), and a new value must not break a read.
   */
  readonly acceptUnknownEnumValues?: boolean;
  /**
   * For a caller's input: refuse a property the rule does not name (a misspelt filter key would otherwise
   * be sent and ignored, widening the result) and a string that is not well-formed Unicode (a lone
   * surrogate cannot be encoded into a URL or JSON for the API).
   */
  readonly strictInput?: boolean;
}

/** A lone UTF-16 surrogate: half of a character, which no URL or UTF-8 body can carry. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first way `value` breaks `rule`, or undefined when it conforms. `field` is the value's path:
 * properties are joined with dots and array items get `[i]`, e.g. `filter.statuses[1]`.
 */
export function findProblem(
  rule: Rule,
  value: unknown,
  field: string,
  options: FindOptions = {},
): Problem | undefined {
  const found: FoundProblem[] = [];
  walk(rule, value, field, options, found, 1);
  const [first] = found;
  return first === undefined ? undefined : { field: first.field, problem: first.problem };
}

/** Every way `value` breaks `rule` (one per value: inside a value of the wrong type nothing more is looked at). */
export function findProblems(
  rule: Rule,
  value: unknown,
  field: string,
  options: FindOptions = {},
): FoundProblem[] {
  const found: FoundProblem[] = [];
  walk(rule, value, field, options, found, Number.POSITIVE_INFINITY);
  return found;
}

/** What a problem says the spec expects: its text without the `, got ...` that tells the value. */
export function expectedOf(problem: Problem): string {
  return problem.problem.replace(/, got [\s\S]*$/, '');
}

/** Adds to `found` the ways `value` breaks `rule`, until `found` holds `limit` of them. */
function walk(
  rule: Rule,
  value: unknown,
  field: string,
  options: FindOptions,
  found: FoundProblem[],
  limit: number,
): void {
  const problem = findOwnProblem(rule, value, field, options);
  if (problem !== undefined) {
    found.push(problem);
    return;
  }
  if (Array.isArray(value)) {
    walkArray(rule, value, field, options, found, limit);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const name of rule.required ?? []) {
    if (record[name] !== undefined) continue;
    found.push({ field: join(field, name), problem: 'is required', got: undefined });
    if (found.length >= limit) return;
  }
  if (options.strictInput && rule.properties !== undefined) {
    const known = Object.keys(rule.properties);
    const unknown = Object.keys(record).find((name) => !known.includes(name));
    if (unknown !== undefined) {
      const problem = `is not a known field (known: ${known.join(', ')})`;
      found.push({ field: join(field, unknown), problem, got: record[unknown] });
      return;
    }
  }
  for (const [name, child] of Object.entries(rule.properties ?? {})) {
    if (record[name] === undefined) continue;
    walk(child, record[name], join(field, name), options, found, limit);
    if (found.length >= limit) return;
  }
}

/** How the value itself breaks the rule, before its properties or items are looked at. */
function findOwnProblem(
  rule: Rule,
  value: unknown,
  field: string,
  options: FindOptions,
): FoundProblem | undefined {
  const fail = (problem: string): FoundProblem => ({ field, problem, got: value });
  // OpenAPI 3.0 adds null to a type only through `nullable`; otherwise the type check refuses it
  // ("must be an array, got null").
  if (value === null && rule.nullable === true) return undefined;
  const typeProblem = rule.type === undefined ? undefined : findTypeProblem(rule.type, value);
  if (typeProblem !== undefined) return fail(typeProblem);
  if (rule.format !== undefined) {
    const formatProblem = findFormatProblem(rule.format, value);
    if (formatProblem !== undefined) return fail(formatProblem);
  }
  if (rule.enum !== undefined && !rule.enum.includes(value as string) && !options.acceptUnknownEnumValues) {
    return fail(`must be one of ${rule.enum.join(', ')}, got ${describe(value)}`);
  }
  if (typeof value === 'number') {
    if (rule.minimum !== undefined && value < rule.minimum)
      return fail(`must be >= ${rule.minimum}, got ${value}`);
    if (rule.maximum !== undefined && value > rule.maximum)
      return fail(`must be <= ${rule.maximum}, got ${value}`);
  }
  if (typeof value === 'string') {
    // Lengths count UTF-16 code units (JavaScript's `length`, and Java's, which Yandex's back end runs
    // on), not code points as JSON Schema does: an emoji counts 2, so this is the stricter reading.
    if (rule.minLength !== undefined && value.length < rule.minLength)
      return fail(`must be at least ${rule.minLength} characters (UTF-16 code units), got ${value.length}`);
    if (rule.maxLength !== undefined && value.length > rule.maxLength)
      return fail(`must be at most ${rule.maxLength} characters (UTF-16 code units), got ${value.length}`);
    if (options.strictInput && LONE_SURROGATE.test(value)) {
      return fail('must be well-formed Unicode: it holds half of a surrogate pair');
    }
  }
  return undefined;
}

const TYPE_NAMES: Record<NonNullable<Rule['type']>, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

function findTypeProblem(type: NonNullable<Rule['type']>, value: unknown): string | undefined {
  if (!hasType(type, value)) return `must be ${TYPE_NAMES[type]}, got ${describe(value)}`;
  if (type === 'integer' && !Number.isSafeInteger(value)) {
    return `must be at most ${Number.MAX_SAFE_INTEGER}: a JavaScript number cannot hold a larger id exactly, got ${describe(value)}`;
  }
  return undefined;
}

/** Only the check of `type` runs: this is on every field of every input and response. */
function hasType(type: NonNullable<Rule['type']>, value: unknown): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value); // false for anything but a number, as Number.isFinite
    case 'number':
      return Number.isFinite(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === type;
  }
}

function findFormatProblem(format: string, value: unknown): string | undefined {
  if (format === 'int32' && typeof value === 'number' && (value < INT32.min || value > INT32.max)) {
    return `must fit in 32 bits (format int32, ${INT32.min} to ${INT32.max}), got ${value}`;
  }
  if (format === 'date-time' && typeof value === 'string' && !isDateTime(value)) {
    return `must be an RFC 3339 date-time such as 2025-11-21T09:30:00+03:00, got ${describe(value)}`;
  }
  return undefined;
}

function walkArray(
  rule: Rule,
  items: readonly unknown[],
  field: string,
  options: FindOptions,
  found: FoundProblem[],
  limit: number,
): void {
  const fail = (problem: string) => found.push({ field, problem, got: items });
  if (rule.minItems !== undefined && items.length < rule.minItems) {
    fail(`must have at least ${rule.minItems} ${plural(rule.minItems, 'item')}, got ${items.length}`);
    return;
  }
  if (rule.maxItems !== undefined && items.length > rule.maxItems) {
    fail(`must have at most ${rule.maxItems} ${plural(rule.maxItems, 'item')}, got ${items.length}`);
    return;
  }
  if (rule.items !== undefined) {
    for (const [i, item] of items.entries()) {
      walk(rule.items, item, `${field}[${i}]`, options, found, limit);
      if (found.length >= limit) return;
    }
  }
  if (rule.uniqueItems === true) {
    const seen = new Map<string, number>();
    for (const [i, item] of items.entries()) {
      const key = canonical(item);
      const first = seen.get(key);
      if (first !== undefined) {
        fail(`must not repeat an item: [${i}] repeats [${first}] (${describe(item)})`);
        return;
      }
      seen.set(key, i);
    }
  }
}

/** A string equal for equal JSON values, whatever the order of object keys. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return typeof value === 'string' ? JSON.stringify(value) : `${typeof value}:${String(value)}`;
}

function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}

export interface ValidCreateChatInput {
  businessId: number;
  context: { type: 'ORDER' | 'RETURN'; id: number };
}

/** Checks createChat's input; throws a ValidationError naming the field, an unknown one included. */
export function validateCreateChatInput(input: unknown): ValidCreateChatInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError(
      'input',
      `must be an object with businessId and context, got ${describe(input)}`,
    );
  }
  const { businessId, context, ...others } = input as Record<string, unknown>;
  const [unknown] = Object.keys(others);
  if (unknown !== undefined) {
    throw new ValidationError(unknown, 'is not a field of this input (known: businessId, context)');
  }
  const { createChat } = operationRules;
  const problem =
    findProblem(createChat.parameters.businessId.schema, businessId, 'businessId') ??
    // The spec keeps the deprecated `orderId` as an alternative; this client always sends `context`.
    (context === undefined ? { field: 'context', problem: 'is required' } : undefined) ??
    findProblem(createChat.requestBody.schema, { context }, '', { strictInput: true });
  if (problem !== undefined) throw new ValidationError(problem.field, problem.problem);
  const { type, id } = context as ValidCreateChatInput['context'];
  return { businessId: businessId as number, context: { type, id } };
}

function join(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}
