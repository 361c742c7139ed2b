// For the spec checks' tests: a copy of the spec in a temporary folder, to edit and run the checks on.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpecCopy {
  /** The temporary folder holding the copy. */
  dir: string;
  /** The copy: `<dir>/openapi.yaml`. */
  spec: string;
  /** Replaces `from` with `to` in the copy; throws unless `from` occurs exactly once (no silent no-op edits). */
  edit(from: string, to: string): Promise<void>;
  /** Deletes the folder. */
  remove(): Promise<void>;
}

export async function copySpec(source = 'openapi/openapi.yaml'): Promise<SpecCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'spec-copy-'));
  const spec = join(dir, 'openapi.yaml');
  await copyFile(source, spec);
  return {
    dir,
    spec,
    async edit(from, to) {
      const text = await readFile(spec, 'utf8');
      const count = text.split(from).length - 1;
      if (count !== 1) throw new Error(`edit: expected one occurrence in ${spec}, found ${count}: ${from}`);
      await writeFile(spec, text.replace(from, to));
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
