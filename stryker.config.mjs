// @ts-check
// `npm run test:mutation`: Stryker mutates src/ and runs the unit tests of src/ against each mutant.
// Incremental: results are kept in reports/stryker-incremental.json, so a rerun tests only the mutants
// whose code or covering tests changed. Pass `--mutate src/some-file.ts` to try one file.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  mutate: ['src/**/*.ts', '!src/**/*.test.ts'],
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  // The machine has 2 cores: one test process per core.
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // Below 90 % the run fails (issue 8: every survivor counts; an equivalent mutant may only be excluded
  // by a `// Stryker disable next-line <mutator>: <why>` comment).
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: { reportTests: false },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
export default config;
