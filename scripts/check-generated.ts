// `npm run check:generated`: fails, naming each file, when generated/ does not match what the spec generates.
// Options (for tests on a copy): --spec <path> (default openapi/openapi.yaml), --dir <path> (default generated).
import { parseArgs } from 'node:util';
import { findGeneratedDrift, formatDrift } from './lib/check-generated.ts';
import { GENERATED_DIR } from './lib/generate-files.ts';

const { values } = parseArgs({
  options: {
    spec: { type: 'string', default: 'openapi/openapi.yaml' },
    dir: { type: 'string', default: GENERATED_DIR },
  },
});
const drift = await findGeneratedDrift(values.spec, values.dir);
if (drift.length > 0) {
  console.error(formatDrift(drift, values.spec, values.dir));
  process.exitCode = 1;
} else {
  console.log(`${values.dir}/ matches ${values.spec}`);
}
