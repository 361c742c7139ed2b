// The drift check behind `npm run check:generated`: does generated/ hold exactly what the spec generates?
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateFiles } from './generate-files.ts';

export interface Drift {
  /** The file's path: `<dir>/<name>`. */
  file: string;
  /** `stale`: differs from what the spec generates; `missing`: not written; `extra`: not generated at all. */
  problem: 'stale' | 'missing' | 'extra';
}

/** Line endings aside (a Windows checkout may convert them), the files must match byte for byte. */
const normalize = (text: string): string => text.replace(/\r\n/g, '\n');

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Regenerates from `specPath` in memory and lists every file of `dir` that differs; empty when in sync. */
export async function findGeneratedDrift(specPath: string, dir: string): Promise<Drift[]> {
  const expected = await generateFiles(specPath);
  const present = new Set(await listFiles(dir));
  const drift: Drift[] = [];
  for (const [name, content] of expected) {
    const file = join(dir, name);
    if (!present.has(name)) drift.push({ file, problem: 'missing' });
    else if (normalize(await readFile(file, 'utf8')) !== normalize(content))
      drift.push({ file, problem: 'stale' });
  }
  for (const name of [...present].sort()) {
    if (!expected.has(name)) drift.push({ file: join(dir, name), problem: 'extra' });
  }
  return drift;
}

const EXPLAIN: Record<Drift['problem'], string> = {
  stale: 'stale: differs from what the spec generates',
  missing: 'missing: the spec generates it, but it is not there',
  extra: 'extra: the spec does not generate it',
};

/** The message printed on drift: every file, and what to do about it. */
export function formatDrift(drift: readonly Drift[], specPath: string, dir: string): string {
  return [
    `${dir}/ is out of date with ${specPath}:`,
    ...drift.map(({ file, problem }) => `  ${file}  (${EXPLAIN[problem]})`),
    '',
    'Run `npm run generate` and commit generated/ (delete any extra file by hand).',
  ].join('\n');
}
