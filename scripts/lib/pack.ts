// Packs the library as `npm pack` ships it, from a staging copy (package.json, README, LICENSE, and dist/
// from scripts/build.ts) rather than the repository's own dist/, so packing never races a build or a bench
// running in the working tree (a copy of dist/ is used only when it matches the current sources and its
// record: lib/build-stamp.ts). The staging copy has the same package.json, so `files`, `exports` and
// dependencies are the real ones.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../build.ts';
import { copyBuiltDist } from './build-stamp.ts';
import { npm } from './child.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface PackedPackage {
  /** The .tgz, in `work`. */
  tarball: string;
  /** The paths inside the tarball, sorted. */
  files: string[];
  manifest: Record<string, unknown>;
}

/** Builds and packs the package into `work` (an empty directory). */
export async function packPackage(work: string): Promise<PackedPackage> {
  const staging = join(work, 'package');
  await mkdir(staging);
  // dist/ as `npm ci` or `npm run build` left it, when built from the current sources; else a fresh build.
  if (!(await copyBuiltDist(join(staging, 'dist'), ROOT))) await build(join(staging, 'dist'));
  await copyFile(join(ROOT, 'package.json'), join(staging, 'package.json'));
  await copyFile(join(ROOT, 'README.md'), join(staging, 'README.md'));
  for (const license of ['LICENSE', 'LICENSE.md']) {
    await copyFile(join(ROOT, license), join(staging, license)).catch(() => undefined);
  }
  // --ignore-scripts: dist/ is built above; `prepare` would build it again.
  const output = await npm(
    ['pack', '--ignore-scripts', '--json', '--loglevel=error', '--pack-destination', work],
    staging,
  );
  const [pack] = JSON.parse(output) as { filename: string; files: { path: string }[] }[];
  if (pack === undefined) throw new Error(`npm pack printed no result: ${output}`);
  return {
    tarball: join(work, basename(pack.filename)),
    files: pack.files.map((file) => file.path).sort(),
    manifest: JSON.parse(await readFile(join(staging, 'package.json'), 'utf8')) as Record<string, unknown>,
  };
}
