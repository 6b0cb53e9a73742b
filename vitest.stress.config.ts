import { defineConfig } from 'vitest/config';

/** The multi-process router stress test on its own (see vitest.config.ts). */
export default defineConfig({
  test: {
    include: ['test/multiprocess/router-stress.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
