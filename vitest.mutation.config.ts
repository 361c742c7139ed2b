import { defineConfig } from 'vitest/config';

// The tests Stryker runs against each mutant (npm run test:mutation, stryker.config.mjs): the unit tests of
// src/, which are what cover src/. Not the contract project (it needs Prism) nor scripts/ (builds, packs).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
  },
});
