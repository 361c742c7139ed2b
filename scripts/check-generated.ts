// `npm run check:generated`: fails, naming each file, when generated/ does not match what the spec generates.
// Options (for tests on a copy): --spec <path> (default openapi/openapi.yaml), --dir <path> (default generated).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { findGeneratedDrift, formatDrift } from './lib/check-generated.ts';
import { GENERATED_DIR } from './lib/generate-files.ts';

/** The command with its arguments; prints to `out` and returns the exit code (tests call it in-process). */
export async function checkGenerated(
  args: string[],
  out: Pick<Console, 'log' | 'error'> = console,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      spec: { type: 'string', default: 'openapi/openapi.yaml' },
      dir: { type: 'string', default: GENERATED_DIR },
    },
  });
  const drift = await findGeneratedDrift(values.spec, values.dir);
  if (drift.length > 0) {
    out.error(formatDrift(drift, values.spec, values.dir));
    return 1;
  }
  out.log(`${values.dir}/ matches ${values.spec}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await checkGenerated(process.argv.slice(2));
}
