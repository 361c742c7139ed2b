// The main entry keeps its size: nothing it imports, directly or not, reaches src/notifications/,
// src/testing/, src/raw/ or src/redis/, nor openapi-fetch's createClient. Those ship only through the
// `./notifications`, `./testing`, `./raw` and `./redis` subpaths.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// `import type` / `export type` lines are skipped: TypeScript erases them, so they load nothing at run time.
const RELATIVE_IMPORT = /(?:^|\n)\s*(?:import|export)(?!\s+type\b)\b[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every module `entry` reaches through relative imports and re-exports, as paths from the repository root. */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      if (specifier !== undefined) visit(resolve(dirname(file), specifier));
    }
  };
  visit(resolve(ROOT, entry));
  return [...seen].map((file) => relative(ROOT, file)).sort();
}

describe('entry points', () => {
  it('src/index.ts reaches no notifications code', () => {
    const modules = reachable('src/index.ts');
    expect(modules).toContain('src/client.ts');
    expect(modules.filter((file) => /notification/.test(file))).toEqual([]);
  });

  it('src/index.ts and src/notifications/index.ts reach no test kit code (src/testing, ajv, yaml)', () => {
    for (const entry of ['src/index.ts', 'src/notifications/index.ts']) {
      expect(reachable(entry).filter((file) => /testing|ajv|yaml/.test(file))).toEqual([]);
    }
  });

  it('src/testing/index.ts reaches no client or notifications code: it checks them from outside', () => {
    const modules = reachable('src/testing/index.ts');
    expect(modules).toContain('src/testing/mock-market.ts');
    expect(modules.filter((file) => !file.startsWith('src/testing/'))).toEqual([]);
  });

  it('src/index.ts reaches no Redis code, and nothing it reaches imports ioredis', () => {
    const modules = reachable('src/index.ts');
    expect(modules).toContain('src/base/shared-limits.ts');
    expect(modules.filter((file) => /redis/.test(file))).toEqual([]);
    expect(
      modules.filter((file) => /from\s+['"]ioredis['"]/.test(readFileSync(resolve(ROOT, file), 'utf8'))),
    ).toEqual([]);
  });

  it('src/redis/index.ts reaches no notifications code', () => {
    const modules = reachable('src/redis/index.ts');
    expect(modules).toContain('src/redis/redis-limits.ts');
    expect(modules.filter((file) => /notification|client\.ts/.test(file))).toEqual([]);
  });

  it('the ./redis bundle holds no notifications module (its imports of their types are erased)', async () => {
    const result = await build({
      entryPoints: [resolve(ROOT, 'src/redis/index.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      external: ['ioredis'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('src/redis/redis-claims.ts');
    expect(inputs.filter((file) => /notification/.test(file))).toEqual([]);
  });

  it("src/index.ts reaches no raw client code, and nothing it reaches imports openapi-fetch's createClient", () => {
    const modules = reachable('src/index.ts');
    expect(modules).toContain('src/internal/send-request.ts');
    expect(modules.filter((file) => /raw/.test(file))).toEqual([]);
    expect(
      modules.filter((file) =>
        /import\s+createClient\b[^;]*from\s+['"]openapi-fetch['"]/.test(
          readFileSync(resolve(ROOT, file), 'utf8'),
        ),
      ),
    ).toEqual([]);
  });

  it('the main bundle holds no createClient code; the ./raw bundle holds no engine', async () => {
    const inputs = async (entry: string) => {
      const result = await build({
        entryPoints: [resolve(ROOT, entry)],
        bundle: true,
        format: 'esm',
        platform: 'neutral',
        mainFields: ['module', 'main'],
        write: false,
        minify: true,
        metafile: true,
        logLevel: 'silent',
      });
      return { text: result.outputFiles[0]?.text ?? '', files: Object.keys(result.metafile.inputs) };
    };
    const main = await inputs('src/index.ts');
    // createClient's own wording: its middleware checks.
    expect(main.text).not.toMatch(/Middleware must be an object|must return new Request\(\) or Response\(\)/);
    const raw = await inputs('src/raw/index.ts');
    expect(raw.text).toMatch(/Middleware must be an object/);
    expect(
      raw.files.filter((file) => /internal\/(engine|call-loop|send-attempt)|client\.ts/.test(file)),
    ).toEqual([]);
  });

  it('src/notifications/index.ts reaches no client code', () => {
    const modules = reachable('src/notifications/index.ts');
    expect(modules).toContain('src/notifications/handler.ts');
    expect(modules).toContain('generated/notification-rules.ts');
    expect(modules.filter((file) => /client|openapi-fetch|generated\/schema\.ts/.test(file))).toEqual([]);
  });
});
