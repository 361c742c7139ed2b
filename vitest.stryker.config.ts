import { defineConfig } from 'vitest/config';

// The test run Stryker uses for each mutant (npm run test:mutation): the unit tests of src/ only. The
// scripts' tests build, bundle and start Prism; they take seconds each and test src/ through src's own tests.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
  },
});
