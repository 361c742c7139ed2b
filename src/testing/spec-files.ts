// The two specs the kit checks against, read once from the package itself: dist/openapi.yaml and
// dist/notifications.yaml when installed (the build bundles them there), openapi/*.yaml in this repository.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isObject, type JsonObject } from './spec-validator.ts';

export type SpecName = 'openapi' | 'notifications';

/** Where each spec may be, from this module: the published layout first, then the repository's. */
const CANDIDATES = (name: SpecName): URL[] => [
  new URL(`../../${name}.yaml`, import.meta.url),
  new URL(`../../openapi/${name}.yaml`, import.meta.url),
];

const loaded = new Map<SpecName, JsonObject>();

export function loadSpec(name: SpecName): JsonObject {
  const cached = loaded.get(name);
  if (cached !== undefined) return cached;
  for (const url of CANDIDATES(name)) {
    let text: string;
    try {
      text = readFileSync(url, 'utf8');
    } catch {
      continue;
    }
    const document: unknown = parse(text);
    if (!isObject(document)) throw new Error(`${url.pathname}: not an OpenAPI document`);
    loaded.set(name, document);
    return document;
  }
  throw new Error(
    `the test kit cannot find ${name}.yaml next to it (looked in ${CANDIDATES(name).join(', ')})`,
  );
}

/** Follows local `$ref`s from `node` (at `path` in `root`), returning the target and its path. */
export function locate(
  node: unknown,
  path: readonly string[],
  root: JsonObject,
): { node: unknown; path: string[] } {
  let current = node;
  let at = [...path];
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 20 || !current.$ref.startsWith('#/')) throw new Error(`cannot follow $ref ${current.$ref}`);
    at = current.$ref
      .slice(2)
      .split('/')
      .map((key) => decodeURIComponent(key).replace(/~1/g, '/').replace(/~0/g, '~'));
    current = at.reduce<unknown>((acc, key) => (isObject(acc) ? acc[key] : undefined), root);
    if (current === undefined) throw new Error(`unresolvable $ref ${at.join('/')}`);
  }
  return { node: current, path: at };
}
