// Validates every example in an OpenAPI 3.0 spec against its schema, with Ajv: the named examples of
// request and response bodies (`examples`, including `$ref`s to components/examples) and the `example` of
// media types, parameters and headers. Schemas' $refs resolve inside the spec; `nullable` is Ajv's own
// OpenAPI keyword; formats (int32, int64, date-time, ...) come from ajv-formats.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { specValidator } from '../../src/testing/spec-validator.ts';
import { isObject, type Json, resolveRef } from './spec-json.ts';

export interface CheckedExample {
  /** Where the example is, readably: `components.responses.BadRequest content application/json example "badRequest"`. */
  name: string;
  /** Ajv's errors, empty when the example is valid. */
  errors: string[];
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

/** Checks every example of the spec at `specPath`; the spec is fine when every result has no errors. */
export async function validateExamples(specPath: string): Promise<CheckedExample[]> {
  const spec = parse(await readFile(specPath, 'utf8')) as Json;
  const errorsAt = specValidator(spec);
  return [...examplesOf(spec, spec, [])].map(({ name, schemaPath, value }) => ({
    name,
    errors: errorsAt(schemaPath, value),
  }));
}
