// `npm run build` (also `prepare`: on `npm install` from git, `npm pack`, `npm ci`): the publishable dist/.
//   dist/src/index.js + .d.ts        the package entry (ESM), and every module it reaches
//   dist/generated/*.js + .d.ts      the generated types and rules, compiled
//   dist/src/raw/index.js           the `./raw` subpath (openapi-fetch's typed client with auth)
//   dist/src/redis/index.js         the `./redis` subpath (needs the optional peer dependency ioredis)
//   dist/openapi.yaml                the spec, bundled into one file (export `<package>/openapi.yaml`)
//   dist/notifications.yaml          the notification endpoint's spec (export `<package>/notifications.yaml`)
//   dist/src/testing/*.js + .d.ts    the test kit (`<package>/testing`, the `yandex-market-chats` command),
//                                    compiled apart with Node's types (tsconfig.build.testing.json)
// tsc compiles only what the entries reach (tsconfig.build.json), so tests and test helpers never ship.
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { bundleSpec } from './bundle.ts';
import { filesUnder, forgetBuild, recordBuild } from './lib/build-stamp.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** Runs a command, failing with its output. */
async function run(command: string, args: readonly string[]): Promise<void> {
  try {
    await promisify(execFile)(command, args, { cwd: ROOT });
  } catch (error) {
    const { code, stdout = '', stderr = '' } = error as { code?: unknown; stdout?: string; stderr?: string };
    throw new Error(`${[command, ...args].join(' ')} failed (exit ${String(code)}):\n${stdout}${stderr}`);
  }
}

/**
 * tsc rewrites `./x.ts` to `./x.js` in the emitted .js, but keeps `.ts` in the .d.ts files. Rewrite those
 * too, so the declarations resolve the same way under every consumer setting (node16/nodenext/bundler).
 */
const RELATIVE_TS_SPECIFIER = /((?:from\s+|import\s*\(\s*)['"]\.{1,2}\/[^'"]*?)\.ts(['"])/g;

export function rewriteDeclarationSpecifiers(text: string): string {
  return text.replace(RELATIVE_TS_SPECIFIER, '$1.js$2');
}

async function fixDeclarations(outDir: string): Promise<void> {
  for (const file of await filesUnder(outDir)) {
    if (!file.endsWith('.d.ts')) continue;
    const text = await readFile(file, 'utf8');
    const fixed = rewriteDeclarationSpecifiers(text);
    if (fixed !== text) await writeFile(file, fixed);
  }
}

/** Cleans `outDir` and builds the package into it (default dist/). Returns the files written. */
export async function build(outDir: string = join(ROOT, 'dist')): Promise<string[]> {
  const out = resolve(outDir);
  const isDist = out === join(ROOT, 'dist');
  if (isDist) await forgetBuild(ROOT);
  await rm(out, { recursive: true, force: true });
  // Side by side: the two programs (the modules they share are emitted identically by both) and the specs.
  await Promise.all([
    ...['tsconfig.build.json', 'tsconfig.build.testing.json'].map((config) =>
      run(process.execPath, [TSC, '-p', join(ROOT, config), '--outDir', out]),
    ),
    bundleSpec(join(out, 'openapi.yaml'), join(ROOT, 'openapi/openapi.yaml')),
    bundleSpec(join(out, 'notifications.yaml'), join(ROOT, 'openapi/notifications.yaml')),
  ]);
  await fixDeclarations(out);
  // The record lets the consumer test pack a copy of dist/ instead of building again (lib/build-stamp.ts).
  if (isDist) await recordBuild(ROOT);
  return (await filesUnder(out)).sort();
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = performance.now();
  const files = await build();
  console.log(`built dist/ (${files.length} files) in ${Math.round(performance.now() - started)} ms`);
}
