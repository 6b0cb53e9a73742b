/**
 * Router in the database (issue 3, SPEC §8): two benchmarks of the DB-backed router.
 *
 *   npm run bench:router-db                    both (≈ 3–4 min)
 *   npm run bench:router-db -- --only storm    shift-start storm: 10,000 agents × 4 slots, 50,000 waiting
 *   npm run bench:router-db -- --only live     arrival → offer on a live hub at 500 posts/s for 20 s
 *   npm run bench:router-db -- --quick         small sizes, ≈ 1 min
 *   npm run bench:router-db -- --help
 *
 * Storm: in this process, on a hub context (createHubContext) of its own schema; the passes are the
 * hub's RouterService.runPass. Live: hub child processes (bench-hub-process.ts), load and the
 * observing staff socket here. PostgreSQL and Redis are the running servers (TEST_DATABASE_URL,
 * TEST_REDIS_URL); every schema and Redis prefix is dropped at the end, children are stopped.
 * Writes bench/reports/router-db-latest.md and prints a summary.
 */
import { rmSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { BenchChild } from './ingest/bench-children.js';
import { runLive, type LiveResult } from './router-db/live.js';
import { parseOptions } from './router-db/options.js';
import { summaryLines, writeReport, type RouterDbReport } from './router-db/report.js';
import { benchLogger, dropRunNamespaces, machineInfo, runConfig, runEnvironment } from './router-db/run-env.js';
import { runStorm, type StormResult } from './router-db/storm.js';

const BUDGET_MS = 9 * 60_000;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const t0 = performance.now();
  const log = benchLogger(t0);
  const machine = await machineInfo();
  const errors: string[] = [];
  const children: BenchChild[] = [];
  const namespaces: ReturnType<typeof runConfig>[] = [];
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    await Promise.all(children.map((c) => c.stop().catch(() => c.kill())));
    for (const config of namespaces) await dropRunNamespaces(config).catch((error: unknown) => log(`cleanup of ${config.DATABASE_SCHEMA} failed: ${String(error)}`));
  };
  const watchdog = setTimeout(() => {
    log(`watchdog: still running after ${BUDGET_MS / 1000} s, aborting`);
    void cleanup().finally(() => process.exit(2));
  }, BUDGET_MS);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  let storm: StormResult | null = null;
  let live: LiveResult | null = null;
  try {
    if (options.run.has('storm')) {
      const config = runConfig(runEnvironment('storm', { LOG_LEVEL: options.logLevel }));
      namespaces.push(config);
      try {
        storm = await runStorm({ config, settings: options.storm, baseline: options.baseline, diagnose: true, repeats: options.repeats, log });
      } catch (error) {
        errors.push(`storm: ${describe(error)}`);
        log(`storm failed: ${describe(error)}`);
      } finally {
        await dropRunNamespaces(config).catch(() => undefined);
      }
    }
    if (options.run.has('live')) {
      const env = runEnvironment('live', { LOG_LEVEL: options.logLevel });
      const config = runConfig(env);
      namespaces.push(config);
      try {
        live = await runLive({ env, config, ...options.live, log, children });
      } catch (error) {
        errors.push(`live: ${describe(error)}`);
        log(`live failed: ${describe(error)}`);
      }
    }
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }

  const report: RouterDbReport = {
    startedAt: startedAt.toISOString(),
    durationSeconds: (performance.now() - t0) / 1000,
    command: ['npm run bench:router-db', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    machine,
    storm,
    live,
    errors,
  };
  if (options.report) log(`report: ${writeReport(report)}`);
  if (live) {
    // The hub children's log: kept (and named) only if they wrote warnings or errors.
    if (fileSize(live.logFile) === 0) rmSync(live.logFile, { force: true });
    else log(`hub child logs (warnings/errors): ${live.logFile}`);
  }
  process.stdout.write(`${summaryLines(report).join('\n')}\n`);
  if (errors.length > 0 || (storm && !storm.allRunsOk) || (live && !live.verification.ok)) process.exitCode = 1;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

await main();
