import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import type { StoppableChild } from '../../bench/src/bench-main.js';
import type { BenchReport } from '../../bench/src/bench-report.js';
import { dropRunNamespaces, runConfig, runEnvironment } from '../../bench/src/router-db/run-env.js';

/**
 * A benchmark's run namespace for a test of its small version: a schema and Redis prefix of its
 * own, with the children the run starts stopped, the namespace dropped and the run's child log
 * removed after all tests of the file.
 */
export function benchTestRun(name: string): { env: Record<string, string>; config: ReturnType<typeof runConfig>; children: StoppableChild[]; removeLogAfterAll(file: string): void } {
  const env = runEnvironment(name, { LOG_LEVEL: 'warn' });
  const config = runConfig(env);
  const children: StoppableChild[] = [];
  let logFile: string | null = null;
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop().catch(() => c.kill())));
    await dropRunNamespaces(config);
    if (logFile) rmSync(logFile, { force: true });
  });
  return {
    env,
    config,
    children,
    removeLogAfterAll: (file) => {
      logFile = file;
    },
  };
}

/** A report around `result` as a bench's main would make it, with a fixed made-up machine. */
export function testReport<R>(result: R, cpus = 1): BenchReport<R> {
  return {
    startedAt: new Date().toISOString(),
    durationSeconds: 1,
    command: 'test',
    machine: { cpus, cpuModel: 'test', node: process.versions.node, postgres: 'test', loadAverageAtStart: [0, 0, 0], loadAverageAtEnd: [0, 0, 0] },
    result,
    errors: [],
  };
}
