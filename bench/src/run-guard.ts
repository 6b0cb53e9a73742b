import type { BenchLog } from './router-db/run-env.js';

/**
 * Bounds a benchmark run: whatever happens, it ends and cleans up. After `budgetMs` the watchdog
 * logs, cleans up and exits with 2; on SIGINT/SIGTERM (unless `onSignal` is false) it cleans up
 * and exits with 130, so an interrupted run leaves no children, schema or Redis keys behind.
 * Returns the watchdog timer, to clear once the run has cleaned up by itself.
 */
export function guardBenchRun(budgetMs: number, cleanup: () => Promise<void>, log: BenchLog, onSignal = true): NodeJS.Timeout {
  const watchdog = setTimeout(() => {
    log(`watchdog: still running after ${budgetMs / 1000} s, aborting`);
    void cleanup().finally(() => process.exit(2));
  }, budgetMs);
  watchdog.unref();
  if (onSignal) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        log(`${signal}: cleaning up`);
        void cleanup().finally(() => process.exit(130));
      });
    }
  }
  return watchdog;
}
