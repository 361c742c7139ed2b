// `npm run release -- <version> [--dry-run]`: see scripts/lib/release.ts. Runs `npm test` before it commits.
import { parseArgs } from 'node:util';
import { release } from './lib/release.ts';

const { values, positionals } = parseArgs({
  options: { 'dry-run': { type: 'boolean' } },
  allowPositionals: true,
});
try {
  await release({ root: process.cwd(), version: positionals[0] ?? '', dryRun: values['dry-run'] === true });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
