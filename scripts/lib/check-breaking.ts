// The breaking-change check behind `npm run check:breaking`: each spec against the baseline released with
// the package (openapi/released/), compared by operation-diff.ts and schema-diff.ts.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { type Change, operationChanges } from './operation-diff.ts';
import { isObject, type Json } from './spec-json.ts';

export type { Change } from './operation-diff.ts';

export const SPEC_PATH = 'openapi/openapi.yaml';
export const BASELINE_PATH = 'openapi/released/openapi.yaml';
export const NOTIFICATIONS_SPEC_PATH = 'openapi/notifications.yaml';
export const NOTIFICATIONS_BASELINE_PATH = 'openapi/released/notifications.yaml';

/** Each spec of the repository and the baseline it is checked against. */
export const SPECS: ReadonlyArray<{ spec: string; baseline: string }> = [
  { spec: SPEC_PATH, baseline: BASELINE_PATH },
  { spec: NOTIFICATIONS_SPEC_PATH, baseline: NOTIFICATIONS_BASELINE_PATH },
];

export interface BreakingReport {
  breaking: Change[];
  nonBreaking: Change[];
}

export async function readSpec(path: string): Promise<Json> {
  const spec: unknown = parse(await readFile(path, 'utf8'));
  if (!isObject(spec)) throw new Error(`${path} is not an OpenAPI document (not a YAML mapping)`);
  return spec;
}

const titleOf = (spec: Json) => (isObject(spec.info) ? spec.info.title : undefined);

/**
 * The baseline of any copy of one of the repository's specs: that of the spec with the same `info.title`
 * (a title names an API, and each spec has its own). Throws when no spec has that title.
 */
export async function baselineFor(specPath: string): Promise<string> {
  const title = titleOf(await readSpec(specPath));
  for (const { spec, baseline } of SPECS) {
    if (titleOf(await readSpec(spec)) === title) return baseline;
  }
  throw new Error(
    `${specPath}: its info.title ${JSON.stringify(title)} is not the title of ${SPECS.map((s) => s.spec).join(' or ')}; ` +
      'pass --baseline <file> to say which released spec to compare it with',
  );
}

/** Compares `specPath` with `baselinePath`; the spec is compatible when `breaking` is empty. */
export async function diffSpecFiles(baselinePath: string, specPath: string): Promise<BreakingReport> {
  const [before, after] = await Promise.all([readSpec(baselinePath), readSpec(specPath)]);
  const changes = operationChanges(before, after);
  return {
    breaking: changes.filter((change) => change.breaking),
    nonBreaking: changes.filter((change) => !change.breaking),
  };
}

/**
 * One line per change: `BREAKING getChats: query parameter "limit": maximum 20 -> 10 (narrowed)`. The same
 * change in several responses of one operation (a shared schema) is one line naming all their statuses.
 */
export function formatChanges(changes: readonly Change[]): string[] {
  const groups = new Map<string, { change: Change; statuses: string[] }>();
  for (const change of changes) {
    const status = /^response (\S+)$/.exec(change.place)?.[1];
    const key = JSON.stringify([
      change.breaking,
      change.operation,
      status ? 'response' : change.place,
      change.field,
      change.what,
    ]);
    const group = groups.get(key);
    if (group && status) group.statuses.push(status);
    else groups.set(key, { change, statuses: status ? [status] : [] });
  }
  return [...groups.values()].map(({ change, statuses }) => {
    const place = statuses.length > 1 ? `responses ${statuses.join(', ')}` : change.place;
    const where = [place, change.field === '' ? '' : `field "${change.field}"`].filter(Boolean).join(' ');
    return `${change.breaking ? 'BREAKING' : 'compatible'} ${change.operation}: ${where === '' ? '' : `${where}: `}${change.what}`;
  });
}

/** The report printed by the CLI for one spec; with breaking changes it ends with what to do. */
export function formatReport(report: BreakingReport, baselinePath: string, specPath: string): string {
  const lines = formatChanges([...report.breaking, ...report.nonBreaking]);
  if (lines.length === 0) return `${specPath}: no changes to the API since the released ${baselinePath}.`;
  if (report.breaking.length === 0) {
    return [...lines, `${specPath} is compatible with the released ${baselinePath}.`].join('\n');
  }
  return [
    ...lines,
    `${specPath} breaks callers of the released ${baselinePath} (${report.breaking.length} breaking change(s)). Either:`,
    '  - revert the breaking part of the change, or',
    '  - if the break is intended, release it as a breaking version: `npm run release -- <version>` with the',
    '    next major version (while the version is 0.x, the next minor is how semver marks a break); it makes',
    '    the current specs the new baselines (docs: docs/contributing.md, "Changing the spec").',
  ].join('\n');
}
