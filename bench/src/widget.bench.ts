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
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dropRunNamespaces, machineInfo, runConfig, runEnvironment } from './router-db/run-env.js';
import { parseWidgetOptions } from './widget/options.js';
import { brokenRun, summaryLines, writeWidgetReport, type WidgetReport } from './widget/widget-report.js';
import { runWidget, type WidgetResult } from './widget/run-widget.js';

const BUDGET_MS = 6 * 60_000;

function fdLimit(): { soft: number; hard: number } {
  try {
    const [soft, hard] = execFileSync('/bin/sh', ['-c', 'ulimit -n; ulimit -Hn'], { encoding: 'utf8' }).trim().split('\n');
    const n = (v: string | undefined) => (v === 'unlimited' ? Infinity : Number(v));
    return { soft: n(soft), hard: n(hard) };
  } catch {
    return { soft: NaN, hard: NaN };
  }
}

async function main(): Promise<void> {
  const options = parseWidgetOptions(process.argv.slice(2));
  const startedAt = new Date();
  const t0 = performance.now();
  const log = (line: string) => process.stderr.write(`[widget ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
  const machine = await machineInfo();
  const limits = fdLimit();
  const perFleet = Math.ceil(options.settings.visitors / options.settings.clientProcesses);
  if (options.settings.visitors + 1_000 > limits.hard || perFleet + 1_000 > limits.hard) {
    throw new Error(`ulimit -Hn ${limits.hard} is too low for ${options.settings.visitors} sockets in one server process`);
  }

  const env = runEnvironment('widget', { LOG_LEVEL: options.logLevel });
  const config = runConfig(env);
  const children: { stop(): Promise<void>; kill(): void }[] = [];
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    await Promise.all(children.map((c) => c.stop().catch(() => c.kill())));
    await dropRunNamespaces(config).catch((error: unknown) => log(`cleanup of ${config.DATABASE_SCHEMA} failed: ${String(error)}`));
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

  let result: WidgetResult | null = null;
  const errors: string[] = [];
  try {
    result = await runWidget({ settings: options.settings, env, config, log, children, fdLimit: limits });
  } catch (error) {
    errors.push(describe(error));
    log(`failed: ${describe(error)}`);
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }

  const report: WidgetReport = {
    startedAt: startedAt.toISOString(),
    durationSeconds: (performance.now() - t0) / 1000,
    command: ['npm run bench:widget', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    machine: { ...machine, loadAverageAtEnd: loadavg().map((v) => Math.round(v * 100) / 100) },
    result,
    errors,
  };
  if (options.report) log(`report: ${writeWidgetReport(report, options.quick)}`);
  if (result) {
    if (fileSize(result.logFile) === 0) rmSync(result.logFile, { force: true });
    else log(`child logs (warnings/errors): ${result.logFile}`);
  }
  process.stdout.write(`${summaryLines(report).join('\n')}\n`);
  if (errors.length > 0 || !result || brokenRun(result)) process.exitCode = 1;
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
