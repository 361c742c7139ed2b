// Layers point down: scripts (and scripts/lib, which the contract tests use) never import contract-tests/,
// so the demos and checks run without the test suite, and nothing imports in a circle between the two.
// In src/, each file imports only its own layer and those below it (docs/design.md, scripts/lib/src-layers.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { layerBreaks, relativeImports } from './lib/src-layers.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sourcesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|cjs|mjs|js)$/.test(file))
    .map((file) => join(folder, file).split('\\').join('/'));
}

it('no module under scripts/ imports from contract-tests/', () => {
  const files = sourcesUnder('scripts');
  expect(files.length).toBeGreaterThan(10);
  const upward = files.flatMap((file) =>
    relativeImports(readFileSync(join(ROOT, file), 'utf8'))
      .map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)))
      .filter((target) => target.startsWith('contract-tests'))
      .map((target) => `${file} -> ${target}`),
  );
  expect(upward).toEqual([]);
});

describe('src/ layers', () => {
  it('every module of src/ (tests aside) imports only its own layer and the ones below it', () => {
    const files = sourcesUnder('src').filter((file) => !file.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(50);
    const breaks = files.flatMap((file) => layerBreaks(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(breaks.join('\n')).toBe('');
  });

  it('reports one line per upward, sideways-between-parts, entry or outside-src import', () => {
    const source = [
      "import { attemptCount } from '../base/attempts.ts';",
      "import type { Operation } from '../internal/operation.ts';",
      "export { x } from '../index.ts';",
      "import { fakeApi } from '../../test-support/fake-api.ts';",
      "const lazy = await import('../client.ts');",
      "import '../operations/get-chat.ts';",
    ].join('\n');
    expect(layerBreaks('src/errors/api-error.ts', source)).toEqual([
      'src/errors/api-error.ts (errors) -> src/internal/operation.ts (engine): imports upward',
      'src/errors/api-error.ts (errors) -> src/index.ts (entries): imports upward',
      'src/errors/api-error.ts -> test-support/fake-api.ts: outside src/ (e.g. test-support/ is for tests only)',
      'src/errors/api-error.ts (errors) -> src/client.ts (parts): imports upward',
      'src/errors/api-error.ts (errors) -> src/operations/get-chat.ts (operations): imports upward',
    ]);
    expect(layerBreaks('src/redis/link.ts', "import { x } from '../notifications/types.ts';")).toEqual([
      'src/redis/link.ts (redis) -> src/notifications/types.ts (notifications): imports another part of the top layers',
    ]);
    expect(layerBreaks('src/index.ts', "export * from './notifications/index.ts';")).toEqual([
      'src/index.ts -> src/notifications/index.ts: imports a public entry',
    ]);
    expect(layerBreaks('src/stray.ts', '')).toEqual([
      'src/stray.ts: in no layer (place it in docs/design.md and scripts/lib/src-layers.ts)',
    ]);
  });
});
