import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '@ventanilla/hub';
import { BacklogSampler } from './backlog-sampler.js';
import { runBaselines } from './baseline-phase.js';
import { prepareFixtures } from './bench-fixtures.js';
import { buildPhaseMessages } from './bench-messages.js';
import { runDeliveryPhases, warmUp } from './delivery-sequence.js';
import { LoopbackClient } from './http-load.js';
import { hubEnvironment, startHub } from './hub-topology.js';
import type { Options } from './options.js';
import { assembleReport } from './report-assembly.js';
import { benchLogger, guardRun, openRunResources } from './run-resources.js';
import { finishWorkDir, publishReport } from './run-output.js';

/**
 * One benchmark run, in order: fixtures, baselines, the hub (with the API-only ack phase in the
 * split topology), warm-up, the delivery phases, the report. Sets process.exitCode on failure.
 */
export async function runIngestBenchmark(options: Options): Promise<void> {
  const startedAt = new Date();
  const t0 = performance.now();
  const cores = cpus().length;
  const runId = randomBytes(4).toString('hex');
  const workDir = join(tmpdir(), `ventanilla-bench-${runId}`);
  mkdirSync(workDir, { recursive: true });
  const logFile = join(workDir, 'children.log');
  const notes: string[] = [];
  const log = benchLogger(t0);

  const hubEnv = hubEnvironment(options, runId);
  const config = loadConfig(hubEnv);
  const { children, receiver, redis, verify, cleanup } = openRunResources(config, log);
  const watchdog = guardRun(options, cleanup, log);

  try {
    // 1. Schema, campaign, API channel, one agent with a session.
    log(`schema ${config.DATABASE_SCHEMA}, redis prefix ${config.REDIS_PREFIX}, child logs ${logFile}`);
    const { channelId, secret, token, postgresVersion } = await prepareFixtures(config, verify);

    const warmup = buildPhaseMessages({ runId, phase: 'p0', count: options.quick ? 150 : 500, citizens: 200, citizenOffset: 90_000, channelId, secret, seed: 7 });

    // 2. Baselines, before the hub starts (nothing else of ours is running).
    const baselines = await runBaselines({ options, config, posts: warmup.posts, logFile, log });

    // 3. The hub: API and worker in separate processes (split) or one "all" process (single).
    const hub = await startHub({ options, hubEnv, workDir, logFile, children, runId, channelId, secret, cores, log });
    const url = hub.api.url ?? '';
    await receiver.connect(url, token);
    const client = new LoopbackClient(url, Math.max(options.concurrency, 64));
    const backlog = new BacklogSampler(redis, config.REDIS_PREFIX);
    const delivery = { options, runId, channelId, secret, cores, children, worker: hub.worker, receiver, verify, backlog, client, log };

    await warmUp(delivery, warmup.posts);
    const phases = await runDeliveryPhases(delivery, notes);
    client.close();

    // 4. Report.
    const report = assembleReport({ options, startedAt, t0, cores, postgresVersion, config, hub, baselines, phases, receiver, notes });
    await cleanup();
    clearTimeout(watchdog);

    publishReport(report, options, startedAt);
    finishWorkDir({ profileDir: hub.profileDir, logFile, workDir });
  } catch (error) {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    log(`child logs: ${logFile}`);
    await cleanup();
    process.exitCode = 1;
  } finally {
    clearTimeout(watchdog);
  }
}
