/**
 * Staff sockets on one hub process (issue 4, SPEC §8: 10,000 sockets at ≤ 25 KB each):
 * memory per socket and targeted push rate, with a raw socket.io server as the baseline.
 *
 *   npm run bench:sockets                  10,000 sockets, hub then raw (≈ 2–4 min)
 *   npm run bench:sockets -- --quick       1,000 sockets (≈ 1 min)
 *   npm run bench:sockets -- --no-investigate  without the third run (the hub with a suggested fix applied at run time)
 *   npm run bench:sockets -- --help
 *
 * Child processes (bench/src/sockets/): the socket server (the hub with HUB_ROLE=api, or the raw
 * baseline; --expose-gc, memory read after full collections) and client fleets holding the
 * sockets. PostgreSQL and Redis are the running servers (TEST_DATABASE_URL, TEST_REDIS_URL); the
 * run's schema and Redis prefix are dropped at the end and every child is stopped.
 * Writes bench/reports/sockets-latest.md and prints a summary.
 */
import { runBench } from './bench-main.js';
import { runConfig, runEnvironment } from './router-db/run-env.js';
import { fdLimit, requireFdRoom } from './sockets/fd-limit.js';
import { parseOptions } from './sockets/options.js';
import { summaryLines, writeReport } from './sockets/report.js';
import { runSockets } from './sockets/run-sockets.js';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const { sockets, clientProcesses } = options.settings;
  await runBench({
    name: 'sockets',
    budgetMs: 6 * 60_000,
    async run({ log, children, dropAtEnd, attempt }) {
      const limits = fdLimit();
      if (!(limits.soft >= 25_000)) {
        log(
          `ulimit -n is ${limits.soft} (hard ${limits.hard}), below ~25,000: children ask for up to the hard limit; the server holds ${sockets} descriptors, each of ${clientProcesses} client processes ${Math.ceil(sockets / clientProcesses)}`,
        );
      }
      requireFdRoom(limits, sockets, clientProcesses);
      const env = runEnvironment('sockets', { LOG_LEVEL: options.logLevel });
      const config = dropAtEnd(runConfig(env));
      return attempt(null, () => runSockets({ settings: options.settings, env, config, log, children, fdLimit: limits }));
    },
    conclude: (report) => ({
      writeReport: options.report ? () => writeReport(report) : null,
      childLog: report.result && { file: report.result.logFile, label: 'child logs (warnings/errors)' },
      summary: summaryLines(report),
      // Loss above capacity is a finding (in the report); wrong or repeated deliveries, failed
      // handshakes or loss in the warm-up are a broken run.
      broken: report.result?.servers.some((s) => s.connect.failed > 0 || s.push.some((p) => p.duplicates > 0 || p.misdelivered > 0 || (p.kind === 'warmup' && p.lost > 0))) ?? true,
    }),
  });
}

await main();
