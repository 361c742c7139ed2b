// `npm run release:spec`: copies openapi/openapi.yaml to the baseline openapi/released/openapi.yaml, stamped
// with package.json's version. Run it when releasing; after a breaking change, bump the major version first.
import { readFile } from 'node:fs/promises';
import { BASELINE_PATH, SPEC_PATH } from './lib/check-breaking.ts';
import { releaseSpec } from './lib/release-spec.ts';

const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
try {
  await releaseSpec({ specPath: SPEC_PATH, baselinePath: BASELINE_PATH, version });
  console.log(`wrote ${BASELINE_PATH}: the baseline is now the spec as released in ${version}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
