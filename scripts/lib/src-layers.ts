// The layers of src/ (docs/design.md): each file may import only its own layer and the layers below it,
// so a newcomer can read one file with only lower ones in mind, and the engine is testable without the
// client. The subpaths and the main entry are parts of the top layers that never import each other.
import { dirname, join, normalize } from 'node:path';

/** Bottom to top. A file in no layer is reported, so a new folder gets placed on purpose. */
export const LAYERS = ['generated', 'base', 'errors', 'engine', 'operations', 'parts', 'entries'] as const;
export type Layer = (typeof LAYERS)[number];

const ENTRIES: Record<string, string> = {
  'src/index.ts': 'main',
  'src/notifications/index.ts': 'notifications',
  'src/raw/index.ts': 'raw',
  'src/redis/index.ts': 'redis',
  'src/testing/index.ts': 'testing',
};

/** A file's layer and, in the two top layers, its part (main, notifications, raw, redis, testing). */
export function placeOf(file: string): { layer: Layer; part?: string } | undefined {
  const entry = ENTRIES[file];
  if (entry !== undefined) return { layer: 'entries', part: entry };
  if (file.startsWith('generated/')) return { layer: 'generated' };
  if (file.startsWith('src/base/')) return { layer: 'base' };
  if (file.startsWith('src/errors/')) return { layer: 'errors' };
  // hooks.ts declares the events the engine emits (and `emit`): it sits with the engine.
  if (file.startsWith('src/internal/') || file === 'src/hooks.ts') return { layer: 'engine' };
  if (file.startsWith('src/operations/')) return { layer: 'operations' };
  if (file === 'src/client.ts' || file === 'src/guards.ts') return { layer: 'parts', part: 'main' };
  const part = /^src\/(notifications|redis|testing)\//.exec(file)?.[1];
  if (part !== undefined) return { layer: 'parts', part };
  return undefined;
}

// `import x from '...'`, `export { x } from '...'`, `import '...'` (side effects) and `import('...')`.
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g;

/** The relative import specifiers of a module's source (static, re-exports and dynamic imports). */
export function relativeImports(source: string): string[] {
  return [...source.matchAll(IMPORT)]
    .map((match) => match[1] ?? match[2] ?? '')
    .filter((specifier) => specifier.startsWith('.'));
}

/** One line per import that breaks the rule, for a src file (path from the root, '/'-separated). */
export function layerBreaks(file: string, source: string): string[] {
  const from = placeOf(file);
  if (from === undefined)
    return [`${file}: in no layer (place it in docs/design.md and scripts/lib/src-layers.ts)`];
  return relativeImports(source).flatMap((specifier) => {
    const target = normalize(join(dirname(file), specifier))
      .split('\\')
      .join('/');
    const to = placeOf(target);
    if (to === undefined)
      return [`${file} -> ${target}: outside src/ (e.g. test-support/ is for tests only)`];
    const up = LAYERS.indexOf(to.layer) - LAYERS.indexOf(from.layer);
    if (up > 0) return [`${file} (${from.layer}) -> ${target} (${to.layer}): imports upward`];
    if (to.layer === 'entries') return [`${file} -> ${target}: imports a public entry`];
    if (to.part !== undefined && to.part !== from.part) {
      return [`${file} (${from.part}) -> ${target} (${to.part}): imports another part of the top layers`];
    }
    return [];
  });
}
