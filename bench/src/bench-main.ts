import { rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Config } from '@ventanilla/hub';
import type { BenchReport } from './bench-report.js';
import { benchLogger, dropRunNamespaces, machineInfo, type BenchLog } from './router-db/run-env.js';
import { guardBenchRun } from './run-guard.js';

/** A child process of a run: asked to stop at the end, killed if that fails. */
export interface StoppableChild {
  stop(): Promise<void>;
  kill(): void;
}

type RunNamespace = Pick<Config, 'DATABASE_SCHEMA' | 'REDIS_PREFIX'>;

/** What a benchmark's body gets from the scaffolding. */
export interface BenchScope<C extends StoppableChild> {
  log: BenchLog;
  /** Push each child as soon as it has started: stopped at the end, on the watchdog or a signal, whatever failed. */
  children: C[];
  /** Registers a run's schema and Redis prefix, dropped at the end on the same paths; returns it. */
  dropAtEnd<T extends RunNamespace>(config: T): T;
  /**
   * Runs one part of the benchmark: a failure is logged (`<part> failed: …`) and recorded in the
   * report's errors (`<part>: …`) instead of ending the run, and the part's result is null.
   */
  attempt<T>(part: string | null, body: () => Promise<T>): Promise<T | null>;
}

/** How a run ends, decided by the benchmark from its report. */
export interface BenchConclusion {
  /** Writes the Markdown report and returns its path; null when the report is not wanted (--no-report). */
  writeReport: (() => string) | null;
  /** The children's log: removed when they wrote nothing (no warnings or errors), else named on stderr. */
  childLog?: { file: string; label: string } | null;
  /** Printed on stdout. */
  summary: string[];
  /** Figures that must not be trusted (beyond the errors, which always count): exit code 1. */
  broken: boolean;
}

export interface BenchSpec<R, C extends StoppableChild> {
  /** As in `npm run bench:<name>`; also the prefix of the progress lines. */
  name: string;
  /** Wall-clock budget of the whole run (the watchdog). */
  budgetMs: number;
  /** Clean up on SIGINT/SIGTERM as on the watchdog (default true). */
  cleanupOnSignal?: boolean;
  run(scope: BenchScope<C>): Promise<R>;
  conclude(report: BenchReport<R>): BenchConclusion;
}

/**
 * The scaffolding of a benchmark's main(): the machine's description, a bounded run (watchdog,
 * signals) whose children are stopped and whose schemas and Redis prefixes are dropped on every
 * path, then the report, the children's log, the summary and the exit code. A failure outside
 * `attempt` still cleans up, then rejects.
 */
export async function runBench<R, C extends StoppableChild = StoppableChild>(spec: BenchSpec<R, C>): Promise<void> {
  const startedAt = new Date();
  const t0 = performance.now();
  const log = benchLogger(spec.name, t0);
  const machine = await machineInfo();
  const children: C[] = [];
  const namespaces: RunNamespace[] = [];
  const errors: string[] = [];
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    await Promise.all(children.map((c) => c.stop().catch(() => c.kill())));
    for (const config of namespaces) await dropRunNamespaces(config).catch((error: unknown) => log(`cleanup of ${config.DATABASE_SCHEMA} failed: ${String(error)}`));
  };
  const watchdog = guardBenchRun(spec.budgetMs, cleanup, log, spec.cleanupOnSignal ?? true);
  const scope: BenchScope<C> = {
    log,
    children,
    dropAtEnd(config) {
      namespaces.push(config);
      return config;
    },
    async attempt(part, body) {
      try {
        return await body();
      } catch (error) {
        const text = describe(error);
        errors.push(part === null ? text : `${part}: ${text}`);
        log(`${part === null ? '' : `${part} `}failed: ${text}`);
        return null;
      }
    },
  };
  let result: R;
  try {
    result = await spec.run(scope);
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }

  const conclusion = spec.conclude({
    startedAt: startedAt.toISOString(),
    durationSeconds: (performance.now() - t0) / 1000,
    command: [`npm run bench:${spec.name}`, ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    machine: { ...machine, loadAverageAtEnd: loadavg().map((v) => Math.round(v * 100) / 100) },
    result,
    errors,
  });
  if (conclusion.writeReport) log(`report: ${conclusion.writeReport()}`);
  if (conclusion.childLog) {
    if (fileSize(conclusion.childLog.file) === 0) rmSync(conclusion.childLog.file, { force: true });
    else log(`${conclusion.childLog.label}: ${conclusion.childLog.file}`);
  }
  process.stdout.write(`${conclusion.summary.join('\n')}\n`);
  if (errors.length > 0 || conclusion.broken) process.exitCode = 1;
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
