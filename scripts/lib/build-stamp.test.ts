// The build record lets a copy of dist/ stand in for a build only while it is exactly what the current
// sources build.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyBuiltDist, forgetBuild, recordBuild } from './build-stamp.ts';

let root: string;
const target = () => join(root, 'staging/dist');

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

const exists = (path: string) =>
  readFile(path).then(
    () => true,
    () => false,
  );

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'build-stamp-'));
  await put('src/index.ts', 'export const a = 1;\n');
  await put('openapi/openapi.yaml', 'openapi: 3.0.3\n');
  await put('package.json', '{}\n');
  await put('dist/src/index.js', 'export const a = 1;\n');
  await put('dist/openapi.yaml', 'openapi: 3.0.3\n');
});

afterEach(() => rm(root, { recursive: true, force: true }));

describe('copyBuiltDist', () => {
  it('copies dist/ when it was recorded as built from the inputs as they are', async () => {
    await recordBuild(root);
    expect(await copyBuiltDist(target(), root)).toBe(true);
    expect(await readFile(join(target(), 'src/index.js'), 'utf8')).toBe('export const a = 1;\n');
    expect(await readFile(join(target(), 'openapi.yaml'), 'utf8')).toBe('openapi: 3.0.3\n');
  });

  it('refuses without a record, and after the record is forgotten (a build started)', async () => {
    expect(await copyBuiltDist(target(), root)).toBe(false);
    await recordBuild(root);
    await forgetBuild(root);
    expect(await copyBuiltDist(target(), root)).toBe(false);
    expect(await exists(join(target(), 'src/index.js'))).toBe(false);
  });

  it('refuses when a source, a spec or a new input file changed since', async () => {
    for (const [path, text] of [
      ['src/index.ts', 'export const a = 2;\n'],
      ['openapi/openapi.yaml', 'openapi: 3.0.4\n'],
      ['src/new.ts', 'export {};\n'],
      ['tsconfig.build.json', '{}\n'],
    ] as const) {
      await recordBuild(root);
      await put(path, text);
      expect(await copyBuiltDist(target(), root), path).toBe(false);
    }
  });

  it('still copies after a test file beside the sources changed (tests are not built)', async () => {
    await put('src/index.test.ts', 'old\n');
    await recordBuild(root);
    await put('src/index.test.ts', 'new\n');
    expect(await copyBuiltDist(target(), root)).toBe(true);
  });

  it('refuses, leaving nothing behind, when dist/ no longer holds what was recorded', async () => {
    await recordBuild(root);
    await put('dist/src/index.js', 'export const a = 2;\n');
    expect(await copyBuiltDist(target(), root)).toBe(false);
    expect(await exists(join(target(), 'src/index.js'))).toBe(false);

    await recordBuild(root);
    await put('dist/extra.js', '\n');
    expect(await copyBuiltDist(target(), root)).toBe(false);
  });
});
