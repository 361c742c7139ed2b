// Layers point down: scripts (and scripts/lib, which the contract tests use) never import contract-tests/,
// so the demos and checks run without the test suite, and nothing imports in a circle between the two.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

it('no module under scripts/ imports from contract-tests/', () => {
  const files = readdirSync(join(ROOT, 'scripts'), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|cjs|mjs|js)$/.test(file))
    .map((file) => join(ROOT, 'scripts', file));
  expect(files.length).toBeGreaterThan(10);
  const upward = files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(IMPORT)]
      .map((match) => match[1] ?? match[2] ?? '')
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(ROOT, resolve(dirname(file), specifier)))
      .filter((target) => target.startsWith('contract-tests'))
      .map((target) => `${relative(ROOT, file)} -> ${target}`),
  );
  expect(upward).toEqual([]);
});
