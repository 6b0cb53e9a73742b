import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Config } from '@ventanilla/hub';
import { dropNamespaces, TEST_DATABASE_URL, TEST_REDIS_URL } from '../../../test/support/test-context.js';
import { guardBenchRun } from '../run-guard.js';
import { AgentReceiver } from './agent-receiver.js';
import type { BenchChild } from './bench-children.js';
import type { Options } from './options.js';

/** A progress line on stderr. */
export type BenchLog = (line: string) => void;

/** Stamps every line with the seconds since `t0`, so slow steps stand out in the progress log. */
export function benchLogger(t0: number): BenchLog {
  return (line) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
}

/** What a run holds open and must release on success, failure, watchdog or signal. */
export interface RunResources {
  /** Hub children, pushed as soon as each starts so that a later failure still stops them. */
  children: BenchChild[];
  receiver: AgentReceiver;
  redis: Redis;
  /** Checks what the hub stored, through the run's schema. */
  verify: pg.Pool;
  /** Idempotent: several of the paths above may call it. */
  cleanup: () => Promise<void>;
}

export function openRunResources(config: Config, log: BenchLog): RunResources {
  const children: BenchChild[] = [];
  const receiver = new AgentReceiver();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  const verify = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2, options: `-c search_path=${config.DATABASE_SCHEMA}` });
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    receiver.close();
    await Promise.all(children.map((c) => c.stop().catch(() => c.kill())));
    await verify.end().catch(() => undefined);
    redis.disconnect();
    await dropNamespaces(config).catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
  };
  return { children, receiver, redis, verify, cleanup };
}

/** The run's watchdog and signal cleanup (guardBenchRun), with a budget that grows with the rate phase. */
export function guardRun(options: Options, cleanup: () => Promise<void>, log: BenchLog): NodeJS.Timeout {
  return guardBenchRun((options.quick ? 120 : 360) * 1000 + options.seconds * 1000, cleanup, log);
}
