// The package checks must bite: ESM JavaScript with CommonJS types (.d.cts), listed after `import` in
// `exports`, fails both tools. (`npm run check:package` runs them on the real package.)
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTarball } from './check-package.ts';
import { npm, SLOW_MS } from './lib/child.ts';

describe('checkTarball', () => {
  let work = '';
  let tarball = '';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ymcc-broken-package-'));
    const dir = join(work, 'broken');
    await mkdir(dir);
    const manifest = {
      name: 'broken',
      version: '1.0.0',
      type: 'module',
      // `types` must come first (publint), and must be ESM types for ESM JavaScript (attw).
      exports: { '.': { import: './index.js', types: './index.d.cts' } },
    };
    await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
    await writeFile(join(dir, 'index.js'), 'export const answer = 42;\n');
    await writeFile(join(dir, 'index.d.cts'), 'export declare const answer: number;\n');
    await npm(['pack', '--ignore-scripts', '--loglevel=error', '--pack-destination', work], dir);
    tarball = join(work, 'broken-1.0.0.tgz');
  }, SLOW_MS);

  afterAll(async () => {
    if (work !== '') await rm(work, { recursive: true, force: true });
  });

  it(
    'fails a broken package in publint and in attw, saying why',
    async () => {
      const results = await checkTarball(tarball);
      expect(results.map(({ tool, ok }) => ({ tool, ok }))).toEqual([
        { tool: 'publint', ok: false },
        { tool: 'attw', ok: false },
      ]);
      const [publint, attw] = results;
      expect(publint?.output).toContain('pkg.exports["."].types should be the first');
      expect(attw?.output).toContain('Masquerading as CJS');
    },
    SLOW_MS,
  );
});
