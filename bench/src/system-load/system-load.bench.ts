/**
 * System load test (issue 12 part 6, SPEC §8): every channel mixed — WhatsApp, SMS, web chat,
 * e-mail and voice events — at `--scale` times seed-digest §10's realistic profile for
 * `--minutes`, with `--agents` simulated agents over socket.io accepting offers and replying
 * with human-like think times. Throughput, latency percentiles, errors, CPU, memory and
 * event-loop figures per process, the Fastify hello-world baseline of the same run, and a
 * verdict per SPEC §8 row.
 *
 *   npm run bench:system-load                              10 min at ×10 with 200 agents (the full run)
 *   npm run bench:system-load -- --minutes 1 --scale 1     a short development run
 *   npm run bench:system-load -- --quick                   1 min at ×1 with 50 agents
 *
 * The hub runs as real processes (API and worker, bench-hub-process.ts) on the running
 * PostgreSQL and Redis, in a schema and Redis prefix of this run, dropped at the end.
 * Writes bench/reports/system-load-latest.md.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBench } from '../bench-main.js';
import { runConfig, runEnvironment } from '../router-db/run-env.js';
import { parseSystemLoadOptions } from './options.js';
import { runSystemLoad } from './run-system-load.js';
import { systemLoadBroken, systemLoadSummaryLines, writeSystemLoadReport } from './system-load-report.js';

async function main(): Promise<void> {
  const options = parseSystemLoadOptions(process.argv.slice(2));
  // Every simulated visitor posts from 127.0.0.1: the per-IP widget limits (30 forms, 60 messages
  // a minute) would turn a whole city's visitors into one abusive address. Per-visitor limits stay.
  const env = runEnvironment('sysload', { WIDGET_SESSIONS_PER_IP_PER_MINUTE: '100000', WIDGET_MESSAGES_PER_IP_PER_MINUTE: '100000' });
  const logFile = join(tmpdir(), `ventanilla-${env['DATABASE_SCHEMA'] ?? 'bench-sysload'}.log`);
  await runBench({
    name: 'system-load',
    // Setup and baseline, the warm-up (≤ 1 min), the window, the last conversations (≤ 1 min), the checks.
    budgetMs: (options.minutes + 6) * 60_000 + options.baselineSeconds * 3000,
    async run(scope) {
      const config = scope.dropAtEnd(runConfig(env));
      return scope.attempt(null, () => runSystemLoad({ options, env, config, logFile, scope }));
    },
    conclude: (report) => ({
      writeReport: options.report ? () => writeSystemLoadReport(report) : null,
      childLog: { file: logFile, label: 'hub child logs' },
      summary: systemLoadSummaryLines(report),
      broken: systemLoadBroken(report),
    }),
  });
}

await main();
