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
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dropRunNamespaces, machineInfo, runConfig, runEnvironment } from './router-db/run-env.js';
import { parseOptions } from './sockets/options.js';
import { summaryLines, writeReport, type SocketsReport } from './sockets/report.js';
import { runSockets, type SocketsResult } from './sockets/run-sockets.js';

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
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const t0 = performance.now();
  const prefixed = (line: string) => process.stderr.write(`[sockets ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
  const machine = await machineInfo();
  const limits = fdLimit();
  const perProcess = Math.ceil(options.settings.sockets / options.settings.clientProcesses);
  if (!(limits.soft >= 25_000)) {
    prefixed(
      `ulimit -n is ${limits.soft} (hard ${limits.hard}), below ~25,000: children ask for up to the hard limit; the server holds ${options.settings.sockets} descriptors, each of ${options.settings.clientProcesses} client processes ${perProcess}`,
    );
  }
  if (options.settings.sockets + 1_000 > limits.hard || perProcess + 1_000 > limits.hard) throw new Error(`ulimit -Hn ${limits.hard} is too low for ${options.settings.sockets} sockets in one server process`);

  const env = runEnvironment('sockets', { LOG_LEVEL: options.logLevel });
  const config = runConfig(env);
  const children: { stop(): Promise<void>; kill(): void }[] = [];
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    await Promise.all(children.map((c) => c.stop().catch(() => c.kill())));
    await dropRunNamespaces(config).catch((error: unknown) => prefixed(`cleanup of ${config.DATABASE_SCHEMA} failed: ${String(error)}`));
  };
  const watchdog = setTimeout(() => {
    prefixed(`watchdog: still running after ${BUDGET_MS / 1000} s, aborting`);
    void cleanup().finally(() => process.exit(2));
  }, BUDGET_MS);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      prefixed(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  let result: SocketsResult | null = null;
  const errors: string[] = [];
  try {
    result = await runSockets({ settings: options.settings, env, config, log: prefixed, children, fdLimit: limits });
  } catch (error) {
    errors.push(describe(error));
    prefixed(`failed: ${describe(error)}`);
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }

  const report: SocketsReport = {
    startedAt: startedAt.toISOString(),
    durationSeconds: (performance.now() - t0) / 1000,
    command: ['npm run bench:sockets', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    machine: { ...machine, loadAverageAtEnd: loadavg().map((v) => Math.round(v * 100) / 100) },
    result,
    errors,
  };
  if (options.report) prefixed(`report: ${writeReport(report)}`);
  if (result) {
    if (fileSize(result.logFile) === 0) rmSync(result.logFile, { force: true });
    else prefixed(`child logs (warnings/errors): ${result.logFile}`);
  }
  process.stdout.write(`${summaryLines(report).join('\n')}\n`);
  // Loss above capacity is a finding (in the report); wrong or repeated deliveries, failed
  // handshakes or loss in the warm-up are a broken run.
  const broken = result?.servers.some((s) => s.connect.failed > 0 || s.push.some((p) => p.duplicates > 0 || p.misdelivered > 0 || (p.kind === 'warmup' && p.lost > 0))) ?? true;
  if (errors.length > 0 || broken) process.exitCode = 1;
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
