import { configDefaults, defineConfig } from 'vitest/config';

// CONTRACT_JUNIT=<path>: also write a JUnit XML report of the contract run there (for CI systems).
// Reporters are global in vitest, so the report is only added when the run includes the contract
// project (`npm run test:contract`, or a run without --project).
const junitPath = process.env.CONTRACT_JUNIT?.trim();
const projectArgs = process.argv.flatMap((arg, i, argv) =>
  arg === '--project'
    ? [argv[i + 1] ?? '']
    : arg.startsWith('--project=')
      ? [arg.slice('--project='.length)]
      : [],
);
const runsContract = projectArgs.length === 0 || projectArgs.includes('contract');

export default defineConfig({
  test: {
    // Many test files wait on child processes (tsc, npm, Prism, redis-server): on a 2-core machine vitest's
    // default (cores - 1 = one worker) ran them one at a time. Two, not three: with shared module graphs
    // (isolate: false) each worker loads everything once, and three cost 10 s more CPU than they saved.
    maxWorkers: 2,
    // The slowest files are printed after every run, so that where the time goes stays visible.
    reporters: [
      'default',
      './scripts/lib/slowest-files-reporter.ts',
      ...(junitPath && runsContract
        ? [['junit', { outputFile: junitPath, suiteName: 'contract' }] as ['junit', Record<string, unknown>]]
        : []),
    ],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          // Script tests spawn tsc, Redocly or Prism: seconds each on a busy 2-core machine.
          testTimeout: 20_000,
          // One module graph per worker: re-importing the client, Ajv and the specs for each of ~90 files cost
          // about 38 s of CPU (more than half of the unit run). Tests keep no state in shared modules; the
          // few that stub a global undo it after each test.
          isolate: false,
        },
      },
      {
        test: {
          name: 'contract',
          include: ['contract-tests/**/*.test.ts'],
          // The live tests need MARKET_BASE_URL and credentials; without them they are not collected at all,
          // rather than reported as skipped on every run.
          exclude: process.env.MARKET_BASE_URL?.trim()
            ? configDefaults.exclude
            : [...configDefaults.exclude, 'contract-tests/live.test.ts'],
          // One Prism for the whole suite (mock, or validating proxy in live mode), stopped afterwards.
          globalSetup: ['contract-tests/global-setup.ts'],
          // The files only read what they share (the spec, Prism's address) and keep their state in their
          // own recorder: one module graph per worker spares each file re-importing the client and the spec.
          isolate: false,
          testTimeout: 20_000,
        },
      },
    ],
  },
});
