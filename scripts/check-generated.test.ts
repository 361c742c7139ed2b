// check:generated fails, naming the file, when the spec changes and generated/ is not regenerated.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureOutput } from '../test-support/captured-output.ts';
import { checkGenerated } from './check-generated.ts';
import { findGeneratedDrift } from './lib/check-generated.ts';
import { generateFiles } from './lib/generate-files.ts';
import { copySpec, type SpecCopy } from './lib/spec-copy.ts';

let copy: SpecCopy;
let spec: string;
let dir: string;
const editSpec = (from: string, to: string) => copy.edit(from, to);

beforeEach(async () => {
  copy = await copySpec();
  spec = copy.spec;
  dir = join(copy.dir, 'generated');
  // generated/ as `npm run generate` writes it for the unedited spec.
  await mkdir(dir);
  for (const [name, content] of await generateFiles(spec)) await writeFile(join(dir, name), content);
});

afterEach(() => copy.remove());

describe('findGeneratedDrift', () => {
  it('finds nothing when generated/ matches an unedited copy of the spec', async () => {
    expect(await findGeneratedDrift(spec, dir)).toEqual([]);
  });

  it('names both files when an enum value is added (types and validation rules change)', async () => {
    await editSpec(
      '        - RETURN\n    CreateChatResponse:\n',
      '        - RETURN\n        - DIRECT\n    CreateChatResponse:\n',
    );
    expect(await findGeneratedDrift(spec, dir)).toEqual([
      { file: join(dir, 'schema.ts'), problem: 'stale' },
      { file: join(dir, 'rules.ts'), problem: 'stale' },
    ]);
  });

  it('names only schema.ts when a new optional response property changes the types alone', async () => {
    await editSpec(
      '          description: A human-readable description.\n',
      '          description: A human-readable description.\n        field:\n          type: string\n',
    );
    expect(await findGeneratedDrift(spec, dir)).toEqual([{ file: join(dir, 'schema.ts'), problem: 'stale' }]);
  });

  it('flags a missing and an extra file', async () => {
    await rm(join(dir, 'rules.ts'));
    await writeFile(join(dir, 'old.ts'), 'export {};\n');
    expect(await findGeneratedDrift(spec, dir)).toEqual([
      { file: join(dir, 'rules.ts'), problem: 'missing' },
      { file: join(dir, 'old.ts'), problem: 'extra' },
    ]);
  });
});

// The command's function in-process; its run on the repository is npm test's drift check.
describe('npm run check:generated (the command)', () => {
  const cli = async (...args: string[]) => {
    const output = captureOutput();
    const code = await checkGenerated(['--spec', spec, '--dir', dir, ...args], output.out);
    return { code, stdout: output.stdout(), stderr: output.stderr() };
  };

  it("passes on the repository itself (this is npm test's drift check)", async () => {
    const output = captureOutput();
    expect(await checkGenerated([], output.out), output.stderr()).toBe(0);
  });

  it('exits 1 naming the stale file and saying what to do, and 0 once in sync', async () => {
    expect(await cli()).toMatchObject({ code: 0, stdout: expect.stringContaining('matches') });
    await editSpec('        - OK\n        - ERROR\n', '        - OK\n        - ERROR\n        - PARTIAL\n');
    const failure = await cli();
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain(`${join(dir, 'schema.ts')}  (stale`);
    expect(failure.stderr).toContain('Run `npm run generate` and commit generated/');
  });
});
