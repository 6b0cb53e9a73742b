/**
 * The web chat widget on one hub process (issue 5 "Benchmark"): memory per visitor holding a
 * /widget socket, and the round-trip latency of a citizen's message and the agent's reply,
 * each with a raw socket.io baseline in the same run.
 *
 *   npm run bench:widget                 5,000 visitors, 200 round trips per mode (≈ 1–2 min)
 *   npm run bench:widget -- --quick      500 visitors, 50 round trips per mode
 *   npm run bench:widget -- --help
 *
 * Child processes (bench/src/widget/): the hub with HUB_ROLE=api (--expose-gc, memory read
 * after full collections) and HUB_ROLE=worker, the raw socket.io baseline, and client fleets
 * holding the visitors' sockets. PostgreSQL and Redis are the running servers
 * (TEST_DATABASE_URL, TEST_REDIS_URL); the run's schema and Redis prefix are dropped at the end
 * and every child is stopped. Writes bench/reports/widget-latest.md and prints a summary.
 */
import { runBench } from './bench-main.js';
import { runConfig, runEnvironment } from './router-db/run-env.js';
import { fdLimit, requireFdRoom } from './sockets/fd-limit.js';
import { parseWidgetOptions } from './widget/options.js';
import { runWidget } from './widget/run-widget.js';
import { brokenRun, summaryLines, writeWidgetReport } from './widget/widget-report.js';

async function main(): Promise<void> {
  const options = parseWidgetOptions(process.argv.slice(2));
  await runBench({
    name: 'widget',
    budgetMs: 6 * 60_000,
    async run({ log, children, dropAtEnd, attempt }) {
      const limits = fdLimit();
      requireFdRoom(limits, options.settings.visitors, options.settings.clientProcesses);
      const env = runEnvironment('widget', { LOG_LEVEL: options.logLevel });
      const config = dropAtEnd(runConfig(env));
      return attempt(null, () => runWidget({ settings: options.settings, env, config, log, children, fdLimit: limits }));
    },
    conclude: (report) => ({
      writeReport: options.report ? () => writeWidgetReport(report, options.quick) : null,
      childLog: report.result && { file: report.result.logFile, label: 'child logs (warnings/errors)' },
      summary: summaryLines(report),
      broken: !report.result || brokenRun(report.result),
    }),
  });
}

await main();
