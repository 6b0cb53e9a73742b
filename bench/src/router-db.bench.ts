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
import { runBench } from './bench-main.js';
import type { BenchChild } from './ingest/bench-children.js';
import { runLive, type LiveResult } from './router-db/live.js';
import { parseOptions } from './router-db/options.js';
import { summaryLines, writeReport, type RouterDbReport } from './router-db/report.js';
import { dropRunNamespaces, runConfig, runEnvironment } from './router-db/run-env.js';
import { runStorm, type StormResult } from './router-db/storm.js';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  await runBench<{ storm: StormResult | null; live: LiveResult | null }, BenchChild>({
    name: 'router-db',
    budgetMs: 9 * 60_000,
    async run({ log, children, dropAtEnd, attempt }) {
      let storm: StormResult | null = null;
      let live: LiveResult | null = null;
      if (options.run.has('storm')) {
        const config = dropAtEnd(runConfig(runEnvironment('storm', { LOG_LEVEL: options.logLevel })));
        try {
          storm = await attempt('storm', () => runStorm({ config, settings: options.storm, baseline: options.baseline, diagnose: true, repeats: options.repeats, log }));
        } finally {
          await dropRunNamespaces(config).catch(() => undefined);
        }
      }
      if (options.run.has('live')) {
        const env = runEnvironment('live', { LOG_LEVEL: options.logLevel });
        const config = dropAtEnd(runConfig(env));
        live = await attempt('live', () => runLive({ env, config, ...options.live, log, children }));
      }
      return { storm, live };
    },
    conclude: ({ result, ...run }) => {
      const report: RouterDbReport = { ...run, ...result };
      const { storm, live } = result;
      return {
        writeReport: options.report ? () => writeReport(report) : null,
        // The hub children's log: kept (and named) only if they wrote warnings or errors.
        childLog: live && { file: live.logFile, label: 'hub child logs (warnings/errors)' },
        summary: summaryLines(report),
        broken: (storm !== null && !storm.allRunsOk) || (live !== null && !live.verification.ok),
      };
    },
  });
}

await main();
