/**
 * Mass e-mail rate (issue 5 item 11, seed-digest §1.4 / §10: ≥ 60,000 e-mails a day): the hub's
 * dispatcher against a local SMTP server, with a raw nodemailer loop as the baseline in the same run.
 *
 *   npm run bench:mass-mail                       5,000 recipients, 5 SMTP connections (≈ 1 min)
 *   npm run bench:mass-mail -- --recipients 20000
 *   npm run bench:mass-mail -- --concurrency 10
 *   npm run bench:mass-mail -- --quick            1,000 recipients
 *   npm run bench:mass-mail -- --no-report        print only
 *
 * The SMTP server (smtp-server, accepts everything) runs in a child process; the dispatcher runs
 * in this process on a hub context of its own schema and Redis prefix (TEST_DATABASE_URL,
 * TEST_REDIS_URL), dropped at the end. Writes bench/reports/mass-mail-latest.md.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { dropRunNamespaces, machineInfo, runConfig, runEnvironment } from './router-db/run-env.js';
import { parseMassMailOptions } from './mass-mail/options.js';
import { summaryLines, writeMassMailReport, type MassMailReport } from './mass-mail/report.js';
import { runMassMailBench, type MassMailBenchResult } from './mass-mail/run-mass-mail.js';

const BUDGET_MS = 15 * 60_000;

async function main(): Promise<void> {
  const options = parseMassMailOptions(process.argv.slice(2));
  const startedAt = new Date();
  const t0 = performance.now();
  const log = (line: string) => process.stderr.write(`[mass-mail ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
  const machine = await machineInfo();
  const config = runConfig(runEnvironment('massmail', { LOG_LEVEL: 'warn', DATABASE_POOL_SIZE: String(options.settings.concurrency + 5) }));
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await dropRunNamespaces(config).catch((error: unknown) => log(`cleanup of ${config.DATABASE_SCHEMA} failed: ${String(error)}`));
  };
  const watchdog = setTimeout(() => {
    log(`watchdog: still running after ${BUDGET_MS / 1000} s, aborting`);
    void cleanup().finally(() => process.exit(2));
  }, BUDGET_MS);
  watchdog.unref();

  let result: MassMailBenchResult | null = null;
  const errors: string[] = [];
  try {
    result = await runMassMailBench({ settings: options.settings, config, log });
  } catch (error) {
    errors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
    log(`failed: ${errors[0]}`);
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
  const report: MassMailReport = {
    startedAt: startedAt.toISOString(),
    durationSeconds: (performance.now() - t0) / 1000,
    command: ['npm run bench:mass-mail', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    machine: { ...machine, loadAverageAtEnd: loadavg().map((v) => Math.round(v * 100) / 100) },
    result,
    errors,
  };
  if (options.report) log(`report: ${writeMassMailReport(report)}`);
  process.stdout.write(`${summaryLines(report).join('\n')}\n`);
  if (errors.length > 0 || !result || result.hub.duplicates !== 0 || result.hub.notSent !== 0) process.exitCode = 1;
}

await main();
