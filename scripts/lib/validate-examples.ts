// Validates every example in an OpenAPI 3.0 spec against its schema, with Ajv: the named examples of
// request and response bodies (`examples`, including `$ref`s to components/examples) and the `example` of
// media types, parameters and headers. Schemas' $refs resolve inside the spec; `nullable` is Ajv's own
// OpenAPI keyword; formats (int32, int64, date-time, ...) come from ajv-formats.
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { isObject, type Json, resolveRef } from './spec-json.ts';

export interface CheckedExample {
  /** Where the example is, readably: `components.responses.BadRequest content application/json example "badRequest"`. */
  name: string;
  /** Ajv's errors, empty when the example is valid. */
  errors: string[];
}

const SPEC_ID = 'openapi.json';
/** OpenAPI keywords a Schema Object may carry that JSON Schema (draft-07, as Ajv reads it) does not know. */
const OPENAPI_SCHEMA_KEYWORDS = ['example', 'xml', 'externalDocs'];

const pointer = (path: readonly string[]): string =>
  path.map((key) => encodeURIComponent(key.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

function extensionKeywords(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) extensionKeywords(item, found);
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-')) found.add(key);
      extensionKeywords(value, found);
    }
  }
  return found;
}

/** Every (schema, example) pair: objects that have a `schema` and an `example` or `examples`. */
function* examplesOf(
  node: unknown,
  root: Json,
  path: string[],
): Generator<{ name: string; schemaPath: string[]; value: unknown }> {
  if (!isObject(node)) return;
  if (node.schema !== undefined && (node.example !== undefined || node.examples !== undefined)) {
    const where = path.join('.');
    const schemaPath = [...path, 'schema'];
    if (node.example !== undefined) yield { name: `${where} example`, schemaPath, value: node.example };
    for (const [key, raw] of Object.entries(isObject(node.examples) ? node.examples : {})) {
      const example = resolveRef(raw, root);
      if (isObject(example) && 'value' in example) {
        yield { name: `${where} example "${key}"`, schemaPath, value: example.value };
      } else if (!(isObject(example) && 'externalValue' in example)) {
        throw new Error(`${where} example "${key}" has no value`);
      }
    }
  }
  for (const [key, value] of Object.entries(node)) {
    // Schemas and example values are data to check, not places where more examples are declared.
    if (['schema', 'schemas', 'example', 'examples'].includes(key)) continue;
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) yield* examplesOf(item, root, [...path, key, String(i)]);
    } else {
      yield* examplesOf(value, root, [...path, key]);
    }
  }
}

const describe = (error: ErrorObject): string =>
  `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`;

/**
 * An Ajv set up for the schemas of `spec` (a parsed OpenAPI 3.0 document): `errorsAt(path, value)` validates
 * `value` against the schema at `path` (keys from the document's root) and returns Ajv's errors, readably.
 */
export function specValidator(spec: Json): (schemaPath: readonly string[], value: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  // Ajv compiles the document a $ref points into: its top-level fields (openapi, info, paths, ...) are
  // declared as keywords that check nothing, so strict mode still catches unknown keywords in schemas.
  ajv.addVocabulary([
    ...new Set([...OPENAPI_SCHEMA_KEYWORDS, ...extensionKeywords(spec), ...Object.keys(spec)]),
  ]);
  ajv.addSchema(spec, SPEC_ID, undefined, false);
  return (schemaPath, value) => {
    const validate = ajv.compile({ $ref: `${SPEC_ID}#/${pointer(schemaPath)}` });
    return validate(value) ? [] : (validate.errors ?? []).map(describe);
  };
}

/** Checks every example of the spec at `specPath`; the spec is fine when every result has no errors. */
export async function validateExamples(specPath: string): Promise<CheckedExample[]> {
  const spec = parse(await readFile(specPath, 'utf8')) as Json;
  const errorsAt = specValidator(spec);
  return [...examplesOf(spec, spec, [])].map(({ name, schemaPath, value }) => ({
    name,
    errors: errorsAt(schemaPath, value),
  }));
}
