// Mutation testing of src/ with the unit tests (npm run test:mutation). Incremental: a run reuses the
// results of mutants whose code and tests did not change (reports/mutation/stryker-incremental.json), so
// that a whole run is rarely needed on a small machine. `--mutate src/internal/engine.ts` measures one file.
// A survivor judged equivalent is excluded only by a `// Stryker disable next-line <mutator>: <why>` comment.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  mutate: ['src/**/*.ts', '!src/**/*.test.ts', '!src/test-support/**'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
