// A record of the last build of dist/: a hash of what it was built from and a hash of what it holds. The
// consumer test packs a staging copy of the build (scripts/lib/pack.ts); when dist/ was built from the
// current sources, as `npm ci` leaves it (`prepare`), a copy of it spares two tsc and two Redocly runs
// (about 14 s of CPU). Any changed input, or a dist/ that differs from what was recorded (a build under
// way, a hand edit), means a fresh build instead.
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

/** What the build reads: sources, specs, configs, the build scripts and the locked tool versions. */
const INPUTS = [
  'src',
  'generated',
  'openapi',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.build.testing.json',
  'scripts/build.ts',
  'scripts/bundle.ts',
];

interface Stamp {
  inputs: string;
  output: string;
}

const stampPath = (root: string) =>
  join(root, 'node_modules/.cache/yandex-market-chats-client/build-stamp.json');

/** Every file under `path` (a folder, or one file); none when it does not exist. */
export async function filesUnder(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  } catch (error) {
    // A file, not a folder; a missing input is hashed as missing (below).
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return [path];
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** One hash of every file under `paths` (relative to `base`): its path and its bytes. */
async function hashFiles(
  base: string,
  paths: readonly string[],
  keep: (file: string) => boolean = () => true,
): Promise<string> {
  const files = (await Promise.all(paths.map((path) => filesUnder(join(base, path)))))
    .flat()
    .filter(keep)
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${relative(base, file)}\0`).update(await readFile(file));
  return hash.digest('hex');
}

/** Tests beside the sources are not built: editing one keeps the copy usable. */
const hashInputs = (root: string) => hashFiles(root, INPUTS, (file) => !file.endsWith('.test.ts'));
const hashOutput = (dist: string) => hashFiles(dist, ['.']);

/** Forgets the record: called before a build of `<root>/dist` starts. */
export async function forgetBuild(root: string): Promise<void> {
  await rm(stampPath(root), { force: true });
}

/** Records `<root>/dist` as built from the inputs as they are now. */
export async function recordBuild(root: string): Promise<void> {
  const stamp: Stamp = { inputs: await hashInputs(root), output: await hashOutput(join(root, 'dist')) };
  await mkdir(dirname(stampPath(root)), { recursive: true });
  await writeFile(stampPath(root), `${JSON.stringify(stamp)}\n`);
}

/**
 * Copies `<root>/dist` to `target` when it was built from the inputs as they are now and holds what was
 * recorded; true when it did. False (and nothing left at `target`) otherwise: build afresh.
 */
export async function copyBuiltDist(target: string, root: string): Promise<boolean> {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(await readFile(stampPath(root), 'utf8')) as Stamp;
  } catch {
    return false;
  }
  if (stamp.inputs !== (await hashInputs(root))) return false;
  await cp(join(root, 'dist'), target, { recursive: true });
  if ((await hashOutput(target)) === stamp.output) return true;
  await rm(target, { recursive: true, force: true });
  return false;
}
