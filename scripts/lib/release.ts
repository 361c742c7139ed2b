// `npm run release -- <version>`: one commit and one tag `v<version>` that name the version everywhere:
// package.json and its lock, both specs' info.version, the baselines in openapi/released/ (release:spec),
// CHANGELOG.md (its Unreleased section moves under the version) and the README's install lines.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SPECS } from './check-breaking.ts';
import { releaseSpec } from './release-spec.ts';

const run = promisify(execFile);
const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

export interface ReleaseOptions {
  /** The repository's root (a clean git work tree). */
  root: string;
  version: string;
  /** Check and print the plan; change nothing. */
  dryRun?: boolean;
  /** The checks run after the edits, before the commit; default `npm test` in `root`. */
  runChecks?: (root: string) => Promise<void>;
  log?: (line: string) => void;
}

const isNewer = (next: string, current: string) => {
  const a = SEMVER.exec(next)?.slice(1).map(Number) ?? [];
  const b = SEMVER.exec(current)?.slice(1).map(Number) ?? [];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
};

/** CHANGELOG.md with its `## Unreleased...` section's entries under `## <version> — <date>`. */
export function moveUnreleased(changelog: string, version: string, date: string): string {
  const match = /^## Unreleased.*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(changelog);
  if (!match || match[1]?.trim() === '')
    throw new Error('CHANGELOG.md: the "## Unreleased" section is missing or empty');
  const entries = match[1] ?? '';
  return changelog.replace(match[0], `## Unreleased\n\n## ${version} — ${date}\n${entries}`);
}

const git = async (root: string, ...args: string[]) => (await run('git', args, { cwd: root })).stdout;

export async function release({
  root,
  version,
  dryRun = false,
  runChecks,
  log = console.log,
}: ReleaseOptions) {
  const at = (path: string) => join(root, path);
  const pkg = JSON.parse(await readFile(at('package.json'), 'utf8')) as { version: string };
  if (!SEMVER.test(version)) throw new Error(`release: version ${JSON.stringify(version)} is not x.y.z`);
  if (!isNewer(version, pkg.version)) throw new Error(`release: ${version} is not newer than ${pkg.version}`);
  if ((await git(root, 'status', '--porcelain')).trim() !== '')
    throw new Error('release: commit or stash your changes first');
  if ((await git(root, 'tag', '--list', `v${version}`)).trim() !== '')
    throw new Error(`release: tag v${version} exists`);
  const date = new Date().toISOString().slice(0, 10);
  const changelog = moveUnreleased(await readFile(at('CHANGELOG.md'), 'utf8'), version, date);
  const plan = [
    `package.json, package-lock.json: ${pkg.version} -> ${version}`,
    ...SPECS.map(({ spec, baseline }) => `${spec}: info.version ${version}; ${baseline} refreshed`),
    `CHANGELOG.md: Unreleased -> ${version} — ${date}; README.md install lines`,
    'checks, then commit "Release <version>" and tag v<version>'.replace(/<version>/g, version),
  ];
  if (dryRun) {
    for (const line of plan) log(`would: ${line}`);
    return;
  }
  await writeFile(at('CHANGELOG.md'), changelog);
  for (const file of ['package.json', 'package-lock.json']) {
    const json = JSON.parse(await readFile(at(file), 'utf8'));
    json.version = version;
    if (json.packages?.['']) json.packages[''].version = version;
    await writeFile(at(file), `${JSON.stringify(json, null, 2)}\n`);
  }
  for (const { spec, baseline } of SPECS) {
    const text = await readFile(at(spec), 'utf8');
    await writeFile(at(spec), text.replace(/^(info:\n(?: {2}.*\n)*? {2}version: ).*$/m, `$1${version}`));
    await releaseSpec({ specPath: at(spec), baselinePath: at(baseline), version });
  }
  const readme = await readFile(at('README.md'), 'utf8').catch(() => undefined);
  if (readme !== undefined) {
    const old = pkg.version.replace(/\./g, '\\.');
    await writeFile(
      at('README.md'),
      readme.replace(new RegExp(`(#v|-)${old}(\\.tgz)?\\b`, 'g'), `$1${version}$2`),
    );
  }
  await (
    runChecks ?? ((dir) => run('npm', ['test'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).then(() => {}))
  )(root);
  await git(root, 'add', '-A');
  await git(root, 'commit', '-q', '-m', `Release ${version}`);
  await git(root, 'tag', '-a', `v${version}`, '-m', `Release ${version}`);
  for (const line of plan) log(`done: ${line}`);
}
