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
let root: string;
const git = async (...args: string[]) => (await run('git', args, { cwd: root })).stdout.trim();
const read = (path: string) => readFile(join(root, path), 'utf8');

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'release-'));
  for (const file of FILES) await cp(file, join(root, file), { recursive: true });
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
      version: '0.2.0',
      runChecks: async () => void checked.push(await read('package.json')),
      log: () => {},
    });
    expect(checked).toHaveLength(1);
    expect(JSON.parse(await read('package.json')).version).toBe('0.2.0');
    const lock = JSON.parse(await read('package-lock.json'));
    expect([lock.version, lock.packages[''].version]).toEqual(['0.2.0', '0.2.0']);
    for (const spec of ['openapi/openapi.yaml', 'openapi/notifications.yaml']) {
      expect(parse(await read(spec)).info.version).toBe('0.2.0');
    }
    expect(releasedVersion(await read('openapi/released/openapi.yaml'))).toBe('0.2.0');
    expect(releasedVersion(await read('openapi/released/notifications.yaml'))).toBe('0.2.0');
    expect(await read('CHANGELOG.md')).toMatch(
      /## Unreleased\n\n## 0\.2\.0 — \d{4}-\d\d-\d\d\n\n- The whole Chats section/,
    );
    expect(await read('README.md')).toContain('#v0.2.0');
    expect(await git('status', '--porcelain')).toBe('');
    expect(await git('log', '-1', '--format=%s')).toBe('Release 0.2.0');
    expect(await git('rev-list', '-n', '1', 'v0.2.0')).toBe(await git('rev-parse', 'HEAD'));
    await expect(release({ root, version: '0.2.0', log: () => {} })).rejects.toThrow(/not newer/);
  });

  it('--dry-run prints the plan and changes nothing; refusals change nothing either', async () => {
    const lines: string[] = [];
    await release({ root, version: '0.2.0', dryRun: true, log: (line) => lines.push(line) });
    expect(lines.join('\n')).toContain('would: package.json, package-lock.json: 0.1.0 -> 0.2.0');
    expect(await git('status', '--porcelain')).toBe('');
    expect(await git('tag')).toBe('');
    await expect(release({ root, version: '0.1.0', log: () => {} })).rejects.toThrow(/not newer/);
    await expect(release({ root, version: 'v2', log: () => {} })).rejects.toThrow(/not x\.y\.z/);
    await git('tag', 'v0.2.0');
    await expect(release({ root, version: '0.2.0', log: () => {} })).rejects.toThrow(/tag v0\.2\.0 exists/);
    await writeFile(join(root, 'README.md'), 'edited');
    await expect(release({ root, version: '0.3.0', log: () => {} })).rejects.toThrow(/commit or stash/);
    expect(JSON.parse(await read('package.json')).version).toBe('0.1.0');
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
