// Small helpers for walking a parsed OpenAPI document, shared by the spec checks.

export type Json = Record<string, unknown>;

/** The operation fields of an OpenAPI path item. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Follows a local `$ref` (`#/components/...`) to what it points at, through chains of refs. Non-ref nodes
 * and external refs come back unchanged, a ref cycle as `{}`. Throws on a local ref that points at nothing.
 */
export function resolveRef(node: unknown, root: Json, seen: ReadonlySet<string> = new Set()): unknown {
  if (!isObject(node) || typeof node.$ref !== 'string' || !node.$ref.startsWith('#/')) return node;
  const ref = node.$ref;
  if (seen.has(ref)) return {};
  const target = ref
    .slice(2)
    .split('/')
    .map((key) => decodeURIComponent(key).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((acc, key) => (isObject(acc) ? acc[key] : undefined), root);
  if (target === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return resolveRef(target, root, new Set([...seen, ref]));
}
