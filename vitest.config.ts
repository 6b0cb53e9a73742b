import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['hub/src/**/*.test.ts', 'connectors/**/*.test.ts', 'bots/**/*.test.ts', 'voice-bridge/**/*.test.ts', 'inbox-ui/src/**/*.test.ts', 'test/**/*.test.ts'],
    // The multi-process router stress test measures "nobody waits > 1 s": it runs alone,
    // after the rest (npm run test:stress), not beside other heavy files on 2 cores.
    exclude: ['**/node_modules/**', 'test/multiprocess/router-stress.test.ts', 'test/scale-out/**', 'test/fault-injection/**'],
    // The inbox and widget bundles are built once here, not by browser tests racing each other.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 3,
  },
});
