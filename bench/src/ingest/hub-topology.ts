import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_DATABASE_URL, TEST_JWT_SECRET, TEST_REDIS_URL } from '../../../test/support/test-context.js';
import { runAckOnly } from './ack-only-phase.js';
import { BenchChild } from './bench-children.js';
import type { AckOnlyResult } from './ingest-report.js';
import type { Options } from './options.js';
import type { BenchLog } from './run-resources.js';

/** Environment of every hub child: a schema and Redis prefix of this run only, so it can drop them. */
export function hubEnvironment(options: Options, runId: string): Record<string, string> {
  const hubEnv: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: `bench_${runId}`,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `bench${runId}`,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: options.logLevel,
    PORT: '0',
    BENCH_ROLE: 'hub',
  };
  if (options.ingestConcurrency) hubEnv['INGEST_CONCURRENCY'] = String(options.ingestConcurrency);
  if (options.poolSize) hubEnv['DATABASE_POOL_SIZE'] = String(options.poolSize);
  return hubEnv;
}

export interface RunningHub {
  /** Serves HTTP and socket.io; the same child as `worker` in the single topology. */
  api: BenchChild;
  worker: BenchChild;
  /** Measured between the API start and the worker start (split topology, "ack" phase). */
  ackOnly: AckOnlyResult | null;
  profileDir: string | undefined;
}

/** The hub: API and worker in separate processes (split) or one "all" process (single). */
export async function startHub(input: {
  options: Options;
  hubEnv: Record<string, string>;
  workDir: string;
  logFile: string;
  /** Receives each child as it starts, for the cleanup. */
  children: BenchChild[];
  runId: string;
  channelId: string;
  secret: string;
  cores: number;
  log: BenchLog;
}): Promise<RunningHub> {
  const { options, children, log } = input;
  const childEnv = (role: string): Record<string, string> => ({
    ...input.hubEnv,
    HUB_ROLE: role,
    ...(options.traceSql ? { BENCH_TRACE_SQL: '1' } : {}),
  });
  const profileDir = options.profile ? join(input.workDir, 'profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const start = (name: string, role: string) =>
    BenchChild.start({ name, env: childEnv(role), logFile: input.logFile, ...(profileDir ? { cpuProfDir: profileDir } : {}) });
  let api: BenchChild;
  let worker: BenchChild;
  let ackOnly: AckOnlyResult | null = null;
  if (options.topology === 'split') {
    api = await start('api', 'api');
    children.push(api);
    if (options.phases.has('ack')) {
      log(`API only (no worker yet): webhook acks at ${options.ackRate}/s for ${options.ackSeconds} s`);
      ackOnly = await runAckOnly({ api, options, runId: input.runId, channelId: input.channelId, secret: input.secret, cores: input.cores });
      log(`  ack p50/p99 ${ackOnly.latencyMs.p50.toFixed(1)}/${ackOnly.latencyMs.p99.toFixed(1)} ms, ${ackOnly.errors} errors, API CPU ${ackOnly.apiCpuMsPerAck.toFixed(3)} ms/ack`);
    }
    worker = await start('worker', 'worker');
    children.push(worker);
  } else {
    api = await start('hub', 'all');
    worker = api;
    children.push(api);
  }
  log(`hub ${options.topology}: ${children.map((c) => `${c.name} pid ${c.pid}`).join(', ')} at ${api.url ?? ''}`);
  return { api, worker, ackOnly, profileDir };
}
