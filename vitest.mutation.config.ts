import { defineConfig } from 'vitest/config';

// The tests Stryker runs against each mutant (npm run test:mutation, stryker.config.mjs): the unit tests of
// src/, which are what cover src/. Not the contract project (it needs Prism) nor scripts/ (builds, packs).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // As in the unit project: some tests spawn processes (the kit's CLI, redis-server), seconds on a busy machine.
    testTimeout: 20_000,
  },
});
