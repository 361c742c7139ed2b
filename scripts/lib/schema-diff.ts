// Compares two JSON schemas of one place in a spec (a parameter, a request body, a response body or
// header) and says what changed, and whether the change breaks the API's callers.
//
// The side decides which way breaks: a `request` schema says what the API accepts, so a change that
// accepts less (a value, field or limit narrowed) breaks; a `response` schema says what the API may
// return, so a change that returns more or other (a new enum value, a field that may be missing) breaks.
// A change that is neither (a type or pattern replaced) breaks both. `not` flips the side.
import { isObject, type Json, resolveRef } from './spec-json.ts';

export type Side = 'request' | 'response';

export interface SchemaChange {
  breaking: boolean;
  /** Where under the compared schema: `context.type`, `chats[].status`, `oneOf[PingDTO].time`; '' at its root. */
  field: string;
  /** What changed, in words: `maximum 20 -> 10 (narrowed)`. */
  what: string;
}

type Effect = 'narrowed' | 'widened' | 'changed';

const breaks = (effect: Effect, side: Side) =>
  effect === 'changed' || (effect === 'narrowed' ? side === 'request' : side === 'response');

const show = (value: unknown) => JSON.stringify(value);

/** Limits where a lower value accepts less (`max*`), and where a higher one does (`min*`). */
const UPPER_LIMITS = ['maximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
const LOWER_LIMITS = ['minimum', 'minLength', 'minItems', 'minProperties'] as const;

/** The JSON types a schema allows; null for any. `integer` is within `number`. */
function typesOf(schema: Json): Set<string> | null {
  if (schema.type === undefined) return null;
  return new Set(Array.isArray(schema.type) ? schema.type.map(String) : [String(schema.type)]);
}

const covers = (types: Set<string>, type: string) =>
  types.has(type) || (type === 'integer' && types.has('number'));

class Comparison {
  readonly changes: SchemaChange[] = [];

  constructor(
    private readonly before: Json,
    private readonly after: Json,
  ) {}

  private add(side: Side, field: string, effect: Effect, what: string): void {
    this.changes.push({ breaking: breaks(effect, side), field, what: `${what} (${effect})` });
  }

  compare(oldRaw: unknown, newRaw: unknown, side: Side, field: string, seen: ReadonlyArray<unknown>): void {
    const was = resolveRef(oldRaw, this.before);
    const is = resolveRef(newRaw, this.after);
    if (!isObject(was) || !isObject(is) || seen.includes(was)) return; // a recursive schema: compared once
    const inside = [...seen, was];
    this.types(was, is, side, field);
    this.values(was, is, side, field);
    this.limits(was, is, side, field);
    this.properties(was, is, side, field, inside);
    if (was.items !== undefined || is.items !== undefined) {
      this.compare(was.items ?? {}, is.items ?? {}, side, `${field}[]`, inside);
    }
    this.additional(was, is, side, field, inside);
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) this.branches(key, was, is, side, field, inside);
    if (was.not !== undefined || is.not !== undefined) {
      // What `not` matches is what the schema refuses: the opposite side's rules apply to it.
      const flipped: Side = side === 'request' ? 'response' : 'request';
      this.compare(was.not ?? {}, is.not ?? {}, flipped, field === '' ? 'not' : `${field}.not`, inside);
    }
  }

  private types(was: Json, is: Json, side: Side, field: string): void {
    const before = typesOf(was);
    const after = typesOf(is);
    if (before !== null && after !== null) {
      const lost = [...before].some((type) => !covers(after, type));
      const gained = [...after].some((type) => !covers(before, type));
      const effect: Effect | undefined =
        lost && gained ? 'changed' : lost ? 'narrowed' : gained ? 'widened' : undefined;
      if (effect) this.add(side, field, effect, `type ${[...before].join('|')} -> ${[...after].join('|')}`);
    } else if (before === null && after !== null) {
      this.add(side, field, 'narrowed', `type ${[...after].join('|')} added`);
    } else if (before !== null && after === null) {
      this.add(side, field, 'widened', `type ${[...before].join('|')} removed`);
    }
    if (was.nullable === true && is.nullable !== true)
      this.add(side, field, 'narrowed', 'no longer nullable');
    if (was.nullable !== true && is.nullable === true) this.add(side, field, 'widened', 'now nullable');
  }

  private values(was: Json, is: Json, side: Side, field: string): void {
    const before = Array.isArray(was.enum) ? was.enum : undefined;
    const after = Array.isArray(is.enum) ? is.enum : undefined;
    if (before && after) {
      const has = (list: unknown[], value: unknown) => list.some((item) => show(item) === show(value));
      for (const value of before.filter((v) => !has(after, v)))
        this.add(side, field, 'narrowed', `enum value ${show(value)} removed`);
      for (const value of after.filter((v) => !has(before, v)))
        this.add(side, field, 'widened', `enum value ${show(value)} added`);
    } else if (after) this.add(side, field, 'narrowed', `enum ${show(after)} added`);
    else if (before) this.add(side, field, 'widened', `enum ${show(before)} removed`);
    for (const key of ['format', 'pattern', 'multipleOf'] as const) {
      const [old, now] = [was[key], is[key]];
      if (old === undefined && now !== undefined)
        this.add(side, field, 'narrowed', `${key} ${show(now)} added`);
      else if (old !== undefined && now === undefined)
        this.add(side, field, 'widened', `${key} ${show(old)} removed`);
      else if (old !== now) this.add(side, field, 'changed', `${key} ${show(old)} -> ${show(now)}`);
    }
    if (was.uniqueItems !== true && is.uniqueItems === true)
      this.add(side, field, 'narrowed', 'uniqueItems added');
    if (was.uniqueItems === true && is.uniqueItems !== true)
      this.add(side, field, 'widened', 'uniqueItems removed');
  }

  private limits(was: Json, is: Json, side: Side, field: string): void {
    const limit = (key: string, lowerAcceptsLess: boolean) => {
      const [old, now] = [was[key], is[key]];
      if (old === now) return;
      if (typeof old !== 'number' && typeof now === 'number')
        this.add(side, field, 'narrowed', `${key} ${now} added`);
      else if (typeof old === 'number' && typeof now !== 'number')
        this.add(side, field, 'widened', `${key} ${old} removed`);
      else if (typeof old === 'number' && typeof now === 'number') {
        const narrowed = lowerAcceptsLess ? now < old : now > old;
        this.add(side, field, narrowed ? 'narrowed' : 'widened', `${key} ${old} -> ${now}`);
      }
    };
    for (const key of UPPER_LIMITS) limit(key, true);
    for (const key of LOWER_LIMITS) limit(key, false);
    for (const key of ['exclusiveMaximum', 'exclusiveMinimum'] as const) {
      // OpenAPI 3.0: a boolean that makes the bound exclusive; 3.1: the bound itself.
      if (typeof was[key] === 'number' || typeof is[key] === 'number') limit(key, key === 'exclusiveMaximum');
      else if (was[key] !== true && is[key] === true) this.add(side, field, 'narrowed', `${key} added`);
      else if (was[key] === true && is[key] !== true) this.add(side, field, 'widened', `${key} removed`);
    }
  }

  private properties(was: Json, is: Json, side: Side, field: string, seen: ReadonlyArray<unknown>): void {
    const before = isObject(was.properties) ? was.properties : {};
    const after = isObject(is.properties) ? is.properties : {};
    const requiredBefore = new Set(Array.isArray(was.required) ? was.required : []);
    const requiredAfter = new Set(Array.isArray(is.required) ? is.required : []);
    const at = (name: string) => (field === '' ? name : `${field}.${name}`);
    for (const name of Object.keys(before)) {
      // A request field removed is refused from callers that send it; a response field, missed by readers.
      if (!(name in after)) this.changes.push({ breaking: true, field: at(name), what: 'removed' });
      else this.compare(before[name], after[name], side, at(name), seen);
    }
    for (const name of Object.keys(after)) {
      if (name in before) continue;
      const required = requiredAfter.has(name);
      this.changes.push({
        breaking: required && side === 'request',
        field: at(name),
        what: required ? 'added, required' : 'added, optional',
      });
    }
    for (const name of new Set([...requiredBefore, ...requiredAfter])) {
      if (!(name in before) || !(name in after)) continue; // reported as removed or added above
      if (!requiredBefore.has(name)) this.add(side, at(String(name)), 'narrowed', 'made required');
      else if (!requiredAfter.has(name)) this.add(side, at(String(name)), 'widened', 'no longer required');
    }
  }

  private additional(was: Json, is: Json, side: Side, field: string, seen: ReadonlyArray<unknown>): void {
    const old = was.additionalProperties;
    const now = is.additionalProperties;
    if (isObject(old) && isObject(now)) {
      this.compare(old, now, side, `${field}{}`, seen);
    } else if (old === false && now !== false) {
      this.add(side, field, 'widened', 'additional properties allowed');
    } else if (old !== false && now === false) {
      this.add(side, field, 'narrowed', 'additional properties refused');
    }
  }

  private branches(
    key: 'oneOf' | 'anyOf' | 'allOf',
    was: Json,
    is: Json,
    side: Side,
    field: string,
    seen: ReadonlyArray<unknown>,
  ): void {
    const label = (branch: unknown, index: number) =>
      isObject(branch) && typeof branch.$ref === 'string' ? branch.$ref.split('/').at(-1) : String(index);
    const named = (list: unknown) =>
      new Map((Array.isArray(list) ? list : []).map((branch, i) => [label(branch, i), branch] as const));
    const before = named(was[key]);
    const after = named(is[key]);
    // A branch more in a oneOf/anyOf accepts more; in an allOf, less.
    const more: Effect = key === 'allOf' ? 'narrowed' : 'widened';
    const fewer: Effect = key === 'allOf' ? 'widened' : 'narrowed';
    for (const [name, branch] of before) {
      const at = `${field === '' ? '' : `${field}.`}${key}[${name}]`;
      if (after.has(name)) this.compare(branch, after.get(name), side, at, seen);
      else this.add(side, field, fewer, `${key} branch ${name} removed`);
    }
    for (const name of after.keys()) {
      if (!before.has(name)) this.add(side, field, more, `${key} branch ${name} added`);
    }
  }
}

/** The changes from `oldSchema` (in the spec `before`) to `newSchema` (in `after`), on the given side. */
export function schemaChanges(
  oldSchema: unknown,
  newSchema: unknown,
  side: Side,
  specs: { before: Json; after: Json },
): SchemaChange[] {
  const comparison = new Comparison(specs.before, specs.after);
  comparison.compare(oldSchema, newSchema, side, '', []);
  return comparison.changes;
}
