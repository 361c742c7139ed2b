// Bundle-size and import-time measurements for scripts/bench.ts.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { median } from './stats.ts';

export interface BundleFigures {
  /** Minified bytes. */
  minBytes: number;
  /** Minified, then gzip level 9, bytes. */
  gzipBytes: number;
  code: string;
}

/**
 * Bundles `entry` (or the module text `contents`) with all of its dependencies, as a browser or
 * bundler user would get it: ESM, minified, platform neutral.
 */
export async function bundle(source: { entry: string } | { contents: string }): Promise<BundleFigures> {
  const result = await build({
    ...('entry' in source
      ? { entryPoints: [source.entry] }
      : { stdin: { contents: source.contents, resolveDir: process.cwd(), loader: 'ts' } }),
    bundle: true,
    format: 'esm',
    minify: true,
    platform: 'neutral',
    // `neutral` has no main fields by default; packages here declare `module`/`main` and `exports`.
    mainFields: ['module', 'main'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error('esbuild produced no output');
  const code = file.text;
  return {
    minBytes: file.contents.byteLength,
    gzipBytes: gzipSync(file.contents, { level: 9 }).byteLength,
    code,
  };
}

export interface ImportTiming {
  /** Median ms spent in `await import()` inside a fresh node process. */
  importMs: number;
  /** Median wall-clock ms of the whole `node` process (start-up, import, exit). */
  processMs: number;
}

/**
 * Times importing each bundle in fresh `node` processes, interleaved (a, b, a, b, ...) so that drift
 * in machine load affects each alike. Also times a process that imports nothing, as the floor.
 */
export async function importTimes(
  modules: Record<string, string>,
  runs: number,
): Promise<Record<string, ImportTiming>> {
  const dir = await mkdtemp(join(tmpdir(), 'market-bench-'));
  try {
    const files: Record<string, string> = {};
    for (const [name, code] of Object.entries(modules)) {
      const file = join(dir, `${name.replace(/[^a-z0-9-]/gi, '_')}.mjs`);
      await writeFile(file, code);
      files[name] = pathToFileURL(file).href;
    }
    const empty = join(dir, 'empty.mjs');
    await writeFile(empty, 'export {};\n');
    files['(empty module)'] = pathToFileURL(empty).href;

    const samples: Record<string, { importMs: number[]; processMs: number[] }> = {};
    for (const name of Object.keys(files)) samples[name] = { importMs: [], processMs: [] };
    for (let i = 0; i < runs; i++) {
      for (const [name, url] of Object.entries(files)) {
        const script = `const t = performance.now(); await import(${JSON.stringify(url)}); process.stdout.write(String(performance.now() - t));`;
        const started = performance.now();
        const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '' },
        });
        const wall = performance.now() - started;
        if (child.status !== 0) throw new Error(`importing ${name} failed: ${child.stderr}`);
        samples[name]?.importMs.push(Number(child.stdout));
        samples[name]?.processMs.push(wall);
      }
    }
    const out: Record<string, ImportTiming> = {};
    for (const [name, s] of Object.entries(samples)) {
      out[name] = { importMs: median(s.importMs), processMs: median(s.processMs) };
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
