// The breaking-change check behind `npm run check:breaking`: the current spec against the last released one.
//
// The diff is openapi-diff's (Atlassian; offline, set-based: a request body change is breaking when the new
// schema rejects something the old one accepted, a response body change when it allows something the old
// one did not). openapi-diff's schema differ (json-schema-diff) does not read `enum`, so `enumChanges`
// below adds exactly that: enum values removed from a request, or added to a response, are breaking.
// Still not compared (openapi-diff's docs/OPENAPI3.md): parameter schemas, `format`, security schemes.
import { readFile } from 'node:fs/promises';
import openapiDiff from 'openapi-diff';
import { parse } from 'yaml';
import { HTTP_METHODS, isObject, type Json, resolveRef } from './spec-json.ts';

export const SPEC_PATH = 'openapi/openapi.yaml';
export const BASELINE_PATH = 'openapi/released/openapi.yaml';

export type ChangeType = 'breaking' | 'non-breaking' | 'unclassified';

export interface Change {
  type: ChangeType;
  /** openapi-diff's code (e.g. `response.status-code.remove`), or `enum.value.add` / `enum.value.remove`. */
  code: string;
  /** Where in the spec, as openapi-diff names it (`paths./v2/....post.responses.404`). */
  location: string;
  /** What changed, in a line: for body changes, the values one side allows and the other does not. */
  detail?: string;
}

export interface BreakingReport {
  breaking: Change[];
  nonBreaking: Change[];
  unclassified: Change[];
}

function fromDiffResult(result: {
  type: ChangeType;
  code: string;
  sourceSpecEntityDetails: Array<{ location: string }>;
  destinationSpecEntityDetails: Array<{ location: string }>;
  details?: unknown;
}): Change {
  const where = [...result.sourceSpecEntityDetails, ...result.destinationSpecEntityDetails][0];
  const difference = isObject(result.details) ? result.details.differenceSchema : undefined;
  const change: Change = { type: result.type, code: result.code, location: where?.location ?? '(spec)' };
  if (difference !== undefined) {
    const side = result.code.startsWith('request') ? 'accepted before, rejected now' : 'new in responses';
    change.detail = `${side}: ${JSON.stringify(difference)}`;
  }
  return change;
}

// ---- enums: what openapi-diff cannot see -------------------------------------------------------------

/**
 * Every schema reachable from `schema`, keyed by where it is (`<prefix>.context.type`, `<prefix>[]`), with its
 * `enum` (null when it has none).
 */
function collectEnums(
  schema: unknown,
  root: Json,
  at: string,
  out: Enums,
  seen: ReadonlySet<unknown> = new Set(),
): void {
  const node = resolveRef(schema, root);
  if (!isObject(node) || seen.has(node)) return;
  const inside = new Set([...seen, node]);
  out.set(at, Array.isArray(node.enum) ? node.enum : null);
  if (isObject(node.properties)) {
    for (const [name, sub] of Object.entries(node.properties))
      collectEnums(sub, root, `${at}.${name}`, out, inside);
  }
  if (node.items !== undefined) collectEnums(node.items, root, `${at}[]`, out, inside);
  if (isObject(node.additionalProperties))
    collectEnums(node.additionalProperties, root, `${at}{}`, out, inside);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[key];
    if (!Array.isArray(list)) continue;
    for (const [i, sub] of list.entries()) collectEnums(sub, root, `${at}.${key}[${i}]`, out, inside);
  }
}

type Enums = Map<string, unknown[] | null>;

/** The enums of every operation, split into what clients send (request) and what they receive (response). */
function operationEnums(spec: Json): { request: Enums; response: Enums } {
  const request: Enums = new Map();
  const response: Enums = new Map();
  for (const [path, rawItem] of Object.entries(isObject(spec.paths) ? spec.paths : {})) {
    const item = resolveRef(rawItem, spec);
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const op = `paths.${path}.${method}`;
      const parameters = [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(operation.parameters) ? operation.parameters : []),
      ];
      for (const raw of parameters) {
        const parameter = resolveRef(raw, spec);
        if (isObject(parameter)) {
          const at = `${op}.parameters.${String(parameter.in)}.${String(parameter.name)}`;
          collectEnums(parameter.schema, spec, at, request);
        }
      }
      const body = resolveRef(operation.requestBody, spec);
      if (isObject(body) && isObject(body.content)) {
        for (const [type, media] of Object.entries(body.content)) {
          if (isObject(media))
            collectEnums(media.schema, spec, `${op}.requestBody.content.${type}.schema`, request);
        }
      }
      for (const [status, raw] of Object.entries(isObject(operation.responses) ? operation.responses : {})) {
        const res = resolveRef(raw, spec);
        if (!isObject(res)) continue;
        const at = `${op}.responses.${status}`;
        for (const [name, header] of Object.entries(isObject(res.headers) ? res.headers : {})) {
          const resolved = resolveRef(header, spec);
          if (isObject(resolved)) collectEnums(resolved.schema, spec, `${at}.headers.${name}`, response);
        }
        for (const [type, media] of Object.entries(isObject(res.content) ? res.content : {})) {
          if (isObject(media)) collectEnums(media.schema, spec, `${at}.content.${type}.schema`, response);
        }
      }
    }
  }
  return { request, response };
}

/**
 * Enum changes at places both specs have. In a request, removing a value (or adding an enum) narrows what
 * clients may send: breaking. In a response, adding a value (or dropping the enum) gives clients a value
 * their code may not handle: breaking. The opposite directions are not.
 */
export function enumChanges(baseline: Json, current: Json): Change[] {
  const before = operationEnums(baseline);
  const after = operationEnums(current);
  const changes: Change[] = [];
  for (const side of ['request', 'response'] as const) {
    for (const [location, was] of before[side]) {
      // A schema that appears or disappears as a whole is openapi-diff's to report.
      if (!after[side].has(location)) continue;
      const is = after[side].get(location) ?? null;
      const add = (code: string, narrows: boolean, detail: string) => {
        const breaking = side === 'request' ? narrows : !narrows;
        changes.push({ type: breaking ? 'breaking' : 'non-breaking', code, location, detail });
      };
      if (was === null && is !== null) add('enum.add', true, `now only ${JSON.stringify(is)}`);
      else if (was !== null && is === null)
        add('enum.remove', false, `no longer limited to ${JSON.stringify(was)}`);
      else if (was !== null && is !== null) {
        const removed = was.filter((value) => !is.includes(value));
        const added = is.filter((value) => !was.includes(value));
        if (removed.length > 0) add('enum.value.remove', true, `removed ${JSON.stringify(removed)}`);
        if (added.length > 0) add('enum.value.add', false, `added ${JSON.stringify(added)}`);
      }
    }
  }
  return changes;
}

// ---- the check ---------------------------------------------------------------------------------------

/** Compares `specPath` with `baselinePath`; the spec is compatible when `breaking` is empty. */
export async function diffSpecFiles(baselinePath: string, specPath: string): Promise<BreakingReport> {
  const [baselineText, currentText] = await Promise.all([
    readFile(baselinePath, 'utf8'),
    readFile(specPath, 'utf8'),
  ]);
  const outcome = await openapiDiff.diffSpecs({
    sourceSpec: { content: baselineText, location: baselinePath, format: 'openapi3' },
    destinationSpec: { content: currentText, location: specPath, format: 'openapi3' },
  });
  const changes: Change[] = [
    ...(outcome.breakingDifferencesFound ? outcome.breakingDifferences : []).map(fromDiffResult),
    ...outcome.nonBreakingDifferences.map(fromDiffResult),
    ...outcome.unclassifiedDifferences.map(fromDiffResult),
    ...enumChanges(parse(baselineText) as Json, parse(currentText) as Json),
  ];
  return {
    breaking: changes.filter((change) => change.type === 'breaking'),
    nonBreaking: changes.filter((change) => change.type === 'non-breaking'),
    unclassified: changes.filter((change) => change.type === 'unclassified'),
  };
}

function section(title: string, changes: readonly Change[]): string[] {
  if (changes.length === 0) return [];
  return [
    `${title} (${changes.length}):`,
    ...changes.flatMap(({ code, location, detail }) => [
      `  ${code}  ${location}`,
      ...(detail ? [`      ${detail}`] : []),
    ]),
  ];
}

/** The report printed by the CLI; when there are breaking changes, it ends with what to do. */
export function formatReport(report: BreakingReport, baselinePath: string, specPath: string): string {
  const lines = [
    ...section('Breaking changes', report.breaking),
    ...section('Non-breaking changes', report.nonBreaking),
    ...section('Unclassified changes (review them by hand)', report.unclassified),
  ];
  if (lines.length === 0) return `${specPath}: no changes to the API since the released ${baselinePath}.`;
  if (report.breaking.length === 0) {
    return [...lines, '', `${specPath} is compatible with the released ${baselinePath}.`].join('\n');
  }
  return [
    ...lines,
    '',
    `${specPath} breaks callers of the released ${baselinePath}. Either:`,
    '  - revert the breaking part of the change, or',
    '  - if the break is intended: bump the major version (`npm version major --no-git-tag-version`;',
    '    while the version is 0.x, `npm version minor` is how semver marks a break), then run',
    '    `npm run release:spec` to make the current spec the new baseline, and commit both.',
  ].join('\n');
}
