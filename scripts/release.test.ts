// The release script on a temporary copy of the repository (a fresh git repository): it names the version
// everywhere, commits and tags; --dry-run changes nothing; it refuses a dirty tree, an old version, a tag
// that exists. The checks are injected here (npm test itself would take minutes).
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { moveUnreleased, release } from './lib/release.ts';
import { releasedVersion } from './lib/release-spec.ts';

const run = promisify(execFile);
const FILES = ['package.json', 'package-lock.json', 'CHANGELOG.md', 'README.md', 'openapi'];
// The repository's own version and the next minor one, so the test holds after every release.
const CURRENT = JSON.parse(await readFile('package.json', 'utf8')).version as string;
const [major, minor] = CURRENT.split('.').map(Number);
const NEXT = `${major}.${(minor ?? 0) + 1}.0`;
const AFTER = `${major}.${(minor ?? 0) + 2}.0`;
let root: string;
const git = async (...args: string[]) => (await run('git', args, { cwd: root })).stdout.trim();
const read = (path: string) => readFile(join(root, path), 'utf8');

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'release-'));
  for (const file of FILES) await cp(file, join(root, file), { recursive: true });
  // An Unreleased entry to move, whatever the repository's changelog holds right now.
  const changelog = await read('CHANGELOG.md');
  await writeFile(
    join(root, 'CHANGELOG.md'),
    changelog.replace(/^## Unreleased.*\n/m, '$&\n- An entry of the test.\n'),
  );
  // The README's install lines name the current version, as they do right after a release.
  const readme = await read('README.md');
  await writeFile(
    join(root, 'README.md'),
    readme.replace(
      /(#v|-)\d+\.\d+\.\d+(\.tgz)?\b/g,
      (_, lead: string, tgz = '') => `${lead}${CURRENT}${tgz}`,
    ),
  );
  await git('init', '-q');
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'add', '-A');
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', 'start');
  await git('config', 'user.name', 't');
  await git('config', 'user.email', 't@example.org');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('npm run release', () => {
  it('bumps, moves the changelog, refreshes the baselines, runs the checks, commits and tags', async () => {
    const checked: string[] = [];
    await release({
      root,
      version: NEXT,
      runChecks: async () => void checked.push(await read('package.json')),
      log: () => {},
    });
    expect(checked).toHaveLength(1);
    expect(JSON.parse(await read('package.json')).version).toBe(NEXT);
    const lock = JSON.parse(await read('package-lock.json'));
    expect([lock.version, lock.packages[''].version]).toEqual([NEXT, NEXT]);
    for (const spec of ['openapi/openapi.yaml', 'openapi/notifications.yaml']) {
      expect(parse(await read(spec)).info.version).toBe(NEXT);
    }
    expect(releasedVersion(await read('openapi/released/openapi.yaml'))).toBe(NEXT);
    expect(releasedVersion(await read('openapi/released/notifications.yaml'))).toBe(NEXT);
    expect(await read('CHANGELOG.md')).toMatch(
      new RegExp(
        `## Unreleased\n\n## ${NEXT.replaceAll('.', '\\.')} — \\d{4}-\\d\\d-\\d\\d\n\n- An entry of the test`,
      ),
    );
    expect(await read('README.md')).toContain(`#v${NEXT}`);
    expect(await read('README.md')).not.toContain(`#v${CURRENT}`);
    expect(await git('status', '--porcelain')).toBe('');
    expect(await git('log', '-1', '--format=%s')).toBe(`Release ${NEXT}`);
    expect(await git('rev-list', '-n', '1', `v${NEXT}`)).toBe(await git('rev-parse', 'HEAD'));
    await expect(release({ root, version: NEXT, log: () => {} })).rejects.toThrow(/not newer/);
  });

  it('--dry-run prints the plan and changes nothing; refusals change nothing either', async () => {
    const lines: string[] = [];
    await release({ root, version: NEXT, dryRun: true, log: (line) => lines.push(line) });
    expect(lines.join('\n')).toContain(`would: package.json, package-lock.json: ${CURRENT} -> ${NEXT}`);
    expect(await git('status', '--porcelain')).toBe('');
    expect(await git('tag')).toBe('');
    await expect(release({ root, version: CURRENT, log: () => {} })).rejects.toThrow(/not newer/);
    await expect(release({ root, version: 'v2', log: () => {} })).rejects.toThrow(/not x\.y\.z/);
    await git('tag', `v${NEXT}`);
    await expect(release({ root, version: NEXT, log: () => {} })).rejects.toThrow(
      new RegExp(`tag v${NEXT.replaceAll('.', '\\.')} exists`),
    );
    await writeFile(join(root, 'README.md'), 'edited');
    await expect(release({ root, version: AFTER, log: () => {} })).rejects.toThrow(/commit or stash/);
    expect(JSON.parse(await read('package.json')).version).toBe(CURRENT);
  });

  it('refuses a changelog without Unreleased entries', () => {
    expect(() => moveUnreleased('# C\n\n## Unreleased\n\n## 0.1.0\n- a\n', '0.2.0', '2026-12-05')).toThrow(
      /empty/,
    );
    expect(moveUnreleased('## Unreleased\n\n- b\n\n## 0.1.0\n- a\n', '0.2.0', 'D')).toBe(
      '## Unreleased\n\n## 0.2.0 — D\n\n- b\n\n## 0.1.0\n- a\n',
    );
  });
});
