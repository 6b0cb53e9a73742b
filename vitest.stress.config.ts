import { defineConfig } from 'vitest/config';

/** The multi-process tests that run alone, one file at a time, after the rest (see vitest.config.ts). */
export default defineConfig({
  test: {
    include: ['test/multiprocess/router-stress.test.ts', 'test/scale-out/**/*.test.ts', 'test/fault-injection/**/*.test.ts', 'test/e2e/wallboard.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
