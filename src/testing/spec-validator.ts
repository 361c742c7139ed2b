// Ajv over an OpenAPI 3.0 document itself (not the client's generated rules): `errorsAt(path, value)`
// validates `value` against the schema at `path` (keys from the document's root). Schemas' $refs resolve
// inside the document; `nullable` is Ajv's own OpenAPI keyword; formats (int32, int64, date-time, ...)
// come from ajv-formats. Shared by the test kit and the repository's spec checks.
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const SPEC_ID = 'openapi.json';
/** OpenAPI keywords a Schema Object may carry that JSON Schema (draft-07, as Ajv reads it) does not know. */
const OPENAPI_SCHEMA_KEYWORDS = ['example', 'xml', 'externalDocs'];

/** A JSON pointer (without the `#`) to the node at `path`. */
export const pointer = (path: readonly string[]): string =>
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

const describeError = (error: ErrorObject): string => `${error.instancePath || '(root)'} ${error.message}`;

export type ErrorsAt = (schemaPath: readonly string[], value: unknown) => string[];

/** An Ajv set up for the schemas of `spec` (a parsed OpenAPI 3.0 document); each schema compiles once. */
export function specValidator(spec: JsonObject): ErrorsAt {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  // Ajv compiles the document a $ref points into: its top-level fields (openapi, info, paths, ...) are
  // declared as keywords that check nothing, so strict mode still catches unknown keywords in schemas.
  ajv.addVocabulary([
    ...new Set([...OPENAPI_SCHEMA_KEYWORDS, ...extensionKeywords(spec), ...Object.keys(spec)]),
  ]);
  ajv.addSchema(spec, SPEC_ID);
  return (schemaPath, value) => {
    // Ajv compiles the schema at a ref once and keeps it.
    const validate = ajv.getSchema(`${SPEC_ID}#/${pointer(schemaPath)}`);
    if (validate === undefined) throw new Error(`the spec has no schema at ${schemaPath.join('/')}`);
    validate(value);
    return (validate.errors ?? []).map(describeError);
  };
}
