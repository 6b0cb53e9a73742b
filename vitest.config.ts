import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['hub/src/**/*.test.ts', 'connectors/**/*.test.ts', 'bots/**/*.test.ts', 'voice-bridge/**/*.test.ts', 'inbox-ui/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 3,
  },
});
