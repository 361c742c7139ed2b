// `npm run check:breaking`: fails when the spec breaks callers of the last released spec (the baseline).
// Options (for tests on a copy): --spec <path> (default openapi/openapi.yaml),
// --baseline <path> (default openapi/released/openapi.yaml).
import { parseArgs } from 'node:util';
import { BASELINE_PATH, diffSpecFiles, formatReport, SPEC_PATH } from './lib/check-breaking.ts';

const { values } = parseArgs({
  options: {
    spec: { type: 'string', default: SPEC_PATH },
    baseline: { type: 'string', default: BASELINE_PATH },
  },
});
const report = await diffSpecFiles(values.baseline, values.spec);
const message = formatReport(report, values.baseline, values.spec);
if (report.breaking.length > 0) {
  console.error(message);
  process.exitCode = 1;
} else {
  console.log(message);
}
