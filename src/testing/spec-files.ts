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
  let document = loaded.get(name);
  if (document === undefined) {
    document = readSpecFile(`${name}.yaml`, CANDIDATES(name));
    loaded.set(name, document);
  }
  return document;
}

/** The first of `candidates` that can be read, parsed; an error naming the file when it is no spec. */
export function readSpecFile(fileName: string, candidates: readonly URL[]): JsonObject {
  for (const url of candidates) {
    let text: string;
    try {
      text = readFileSync(url, 'utf8');
    } catch {
      continue;
    }
    let document: unknown;
    try {
      document = parse(text);
    } catch (error) {
      throw new Error(`${url.pathname}: not valid YAML: ${(error as Error).message}`);
    }
    if (!isObject(document)) throw new Error(`${url.pathname}: not an OpenAPI document`);
    return document;
  }
  throw new Error(`the test kit cannot find ${fileName} next to it (looked in ${candidates.join(', ')})`);
}

/** The node at `path` in `root`, or undefined where the path leads nowhere. */
export const nodeAt = (root: JsonObject, path: readonly string[]): unknown =>
  path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), root);

/** Follows local `$ref`s from `node` (at `path` in `root`), returning the target and its path. */
export function locate(
  node: unknown,
  path: readonly string[],
  root: JsonObject,
): { node: unknown; path: string[] } {
  let current = node;
  let at = [...path];
  const followed = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`cannot follow $ref ${ref}: only #/... inside the spec`);
    if (followed.has(ref)) throw new Error(`$ref ${ref} is part of a cycle`);
    followed.add(ref);
    at = ref
      .slice(2)
      .split('/')
      .map((key) => decodeURIComponent(key).replace(/~1/g, '/').replace(/~0/g, '~'));
    current = nodeAt(root, at);
    if (current === undefined) throw new Error(`unresolvable $ref ${ref}`);
  }
  return { node: current, path: at };
}
