// `npm run release:spec`: copies each spec (openapi/openapi.yaml, openapi/notifications.yaml) to its baseline
// in openapi/released/, stamped with package.json's version. After a breaking change, bump the version first.
import { readFile } from 'node:fs/promises';
import { SPECS } from './lib/check-breaking.ts';
import { releaseSpec } from './lib/release-spec.ts';

const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
try {
  for (const { spec, baseline } of SPECS) {
    await releaseSpec({ specPath: spec, baselinePath: baseline, version });
    console.log(`wrote ${baseline}: the baseline is now ${spec} as released in ${version}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
