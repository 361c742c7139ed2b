// Part of `npm run check:breaking`: a release names one version everywhere. Each spec's info.version is
// package.json's version, and CHANGELOG.md has a section for it.
import { readFile } from 'node:fs/promises';
import { readSpec } from './check-breaking.ts';
import { isObject } from './spec-json.ts';

/** What disagrees with `version`, one sentence each; empty when all agree. */
export function versionProblems(
  version: string,
  specs: ReadonlyArray<{ path: string; spec: unknown }>,
  changelog: string,
): string[] {
  const problems: string[] = [];
  for (const { path, spec } of specs) {
    const specVersion = isObject(spec) && isObject(spec.info) ? spec.info.version : undefined;
    if (specVersion !== version) {
      problems.push(
        `${path}: info.version is ${JSON.stringify(specVersion)}, package.json's version is ${version}`,
      );
    }
  }
  const escaped = version.replace(/[.]/g, '\\.');
  if (!new RegExp(`^## \\[?${escaped}\\]?(\\s|$)`, 'm').test(changelog)) {
    problems.push(`CHANGELOG.md has no "## ${version}" section for package.json's version`);
  }
  return problems;
}

/** versionProblems for the repository's files. */
export async function repositoryVersionProblems(specPaths: readonly string[]): Promise<string[]> {
  const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  const specs = await Promise.all(specPaths.map(async (path) => ({ path, spec: await readSpec(path) })));
  const changelog = await readFile('CHANGELOG.md', 'utf8').catch(() => '');
  return versionProblems(version, specs, changelog);
}
