/**
 * WhatsApp Cloud API benchmark (issue 6 "Benchmark", SPEC §8):
 *  1. `POST /webhooks/whatsapp/:channelId` at 2,000 signed requests/s for 15 s from distinct
 *     citizens, twice, against a Fastify hello-world at the same rate; target p99 ≤ 50 ms:
 *     "API alone" (the hub's API process, the worker started after the load, as the ingest
 *     bench measures the acknowledgement), then "with storage" (API + worker processes); in
 *     both every acknowledged message must be stored exactly once;
 *  2. agent replies sent through a Graph API double under the per-number pace: 80/s (the
 *     adapter's default), then 400/s (a channel setting) — achieved rate, busiest second,
 *     reply stored → Graph call.
 *
 *   npm run bench:whatsapp                      full run (≈ 2½ min)
 *   npm run bench:whatsapp -- --quick           ≈ 45 s smoke run
 *   npm run bench:whatsapp -- --rate 1000 --seconds 10 --replies 1000 --paces default,200
 *
 * PostgreSQL and Redis are the running servers (TEST_DATABASE_URL, TEST_REDIS_URL); the run's
 * schema and Redis prefix are dropped at the end. Writes bench/reports/whatsapp-latest.md.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBench } from './bench-main.js';
import { runConfig, runEnvironment } from './router-db/run-env.js';
import { parseWhatsAppOptions } from './whatsapp/options.js';
import { runWhatsAppBench } from './whatsapp/run-whatsapp.js';
import { whatsappRunBroken, whatsappSummaryLines, writeWhatsAppReport } from './whatsapp/whatsapp-report.js';

async function main(): Promise<void> {
  const options = parseWhatsAppOptions(process.argv.slice(2));
  const env = runEnvironment('whatsapp');
  const logFile = join(tmpdir(), `ventanilla-${env['DATABASE_SCHEMA'] ?? 'bench-whatsapp'}.log`);
  await runBench({
    name: 'whatsapp',
    // Each webhook phase: the load, a warm-up and the drain (the API-alone backlog at ≥ half the rate).
    budgetMs: (options.quick ? 3 : 8) * 60_000 + options.seconds * 5000 + (options.replies / 20) * 1000 * options.paces.length,
    async run(scope) {
      const config = scope.dropAtEnd(runConfig(env));
      return scope.attempt(null, () => runWhatsAppBench({ settings: options, env, config, logLevel: options.logLevel, logFile, scope }));
    },
    conclude: (report) => ({
      writeReport: options.report ? () => writeWhatsAppReport(report) : null,
      childLog: { file: logFile, label: 'hub child logs' },
      summary: whatsappSummaryLines(report),
      broken: whatsappRunBroken(report),
    }),
  });
}

await main();
