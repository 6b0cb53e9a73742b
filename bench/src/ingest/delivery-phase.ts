import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { AgentReceiver, PhaseTracker } from './agent-receiver.js';
import type { BacklogSampler } from './backlog-sampler.js';
import type { BenchChild } from './bench-children.js';
import { buildPhaseMessages } from './bench-messages.js';
import type { JobStats, SqlStats } from './child-protocol.js';
import { closedLoop, openLoop, type LoopbackClient, type LoopResult, type PreparedPost } from './http-load.js';
import type { PhaseResult } from './ingest-report.js';
import type { Options } from './options.js';
import { usageDelta, usageSnapshot } from './process-usage.js';
import type { BenchLog } from './run-resources.js';
import { perSecond, round, summarize } from './stats.js';

/** What the delivery phases share once the hub runs and the agent socket is connected. */
export interface DeliveryContext {
  options: Options;
  runId: string;
  channelId: string;
  secret: string;
  cores: number;
  /** Every hub child, for the per-phase CPU figures. */
  children: BenchChild[];
  worker: BenchChild;
  receiver: AgentReceiver;
  verify: pg.Pool;
  backlog: BacklogSampler;
  client: LoopbackClient;
  log: BenchLog;
}

export interface PhaseSpec {
  phase: string;
  title: string;
  mode: 'closed-loop' | 'open-loop';
  count: number;
  citizenOffset: number;
  seed: number;
  drainMs: number;
}

/** Posts one prepared webhook; the status is what the load loops count as ok or error. */
export async function postStatus(client: LoopbackClient, posts: PreparedPost[], i: number): Promise<number> {
  return (await client.post(posts[i]!)).status;
}

/**
 * One measured phase: send `spec.count` webhooks (closed or open loop), wait for their deliveries
 * on the agent socket, then check them against the acks and the stored rows.
 */
export async function runDeliveryPhase(ctx: DeliveryContext, spec: PhaseSpec): Promise<PhaseResult> {
  const { options, runId, channelId, secret, cores, children, worker, receiver, verify, backlog, client, log } = ctx;
  const post = (posts: PreparedPost[], i: number) => postStatus(client, posts, i);
  const messages = buildPhaseMessages({ runId, phase: spec.phase, count: spec.count, citizens: options.citizens, citizenOffset: spec.citizenOffset, channelId, secret, seed: spec.seed });
  const tracker: PhaseTracker = receiver.track(spec.phase, spec.count);
  const before = await usageSnapshot(children);
  backlog.start();
  let loop: LoopResult;
  let schedulerMaxLagMs: number | null = null;
  if (spec.mode === 'closed-loop') {
    loop = await closedLoop({ concurrency: options.concurrency, count: spec.count, run: (i) => post(messages.posts, i) });
  } else {
    const open = await openLoop({ rate: options.rate, count: spec.count, run: (i) => post(messages.posts, i) });
    schedulerMaxLagMs = open.maxLagMs;
    loop = open;
  }
  const sendEnd = performance.now();
  log(`  sent ${loop.completed} (${loop.errors} errors) in ${((sendEnd - loop.started) / 1000).toFixed(1)} s; waiting for deliveries`);
  const waitOutcome = await tracker.waitForAll({ idleMs: 10_000, deadline: sendEnd + spec.drainMs });
  backlog.stop();
  // One instant for every delivery counter (deliveries may still trickle in afterwards).
  const seen = { distinct: tracker.distinct, missing: tracker.missing, duplicates: tracker.duplicates, duplicateEventIds: tracker.duplicateEventIds, lastAt: tracker.lastAt };
  const hits = Uint16Array.from(tracker.hits);
  const backlogAtEnd = await backlog.depth();
  const after = await usageSnapshot(children);
  const cpu = usageDelta(before, after, cores);
  // E2E latency: socket receipt − send (closed loop) or scheduled send time (open loop).
  const e2e = new Float64Array(spec.count);
  for (let i = 0; i < spec.count; i++) e2e[i] = (tracker.receivedAt[i] ?? NaN) - (loop.sentAt[i] ?? NaN);
  const lastAck = loop.ackAt.reduce((a, b) => (Number.isFinite(b) && b > a ? b : a), -Infinity);
  // Only acknowledged messages must arrive; a refused one is the provider's to retry.
  let lostAfterAck = 0;
  let deliveredWithoutAck = 0;
  for (let i = 0; i < spec.count; i++) {
    const acked = Number.isFinite(loop.ackAt[i] ?? NaN);
    const delivered = (hits[i] ?? 0) > 0;
    if (acked && !delivered) lostAfterAck++;
    if (!acked && delivered) deliveredWithoutAck++;
  }
  const stored = await verify.query<{ rows: number; ids: number }>(
    'SELECT count(*)::int AS rows, count(DISTINCT provider_message_id)::int AS ids FROM messages WHERE channel_id = $1 AND provider_message_id LIKE $2',
    [channelId, `bench-${runId}-${spec.phase}-%`],
  );
  const jobStats: JobStats | null = (await worker.request({ type: 'job-stats', phase: spec.phase }, 'job-stats')).stats;
  let sql: SqlStats | null = null;
  if (options.traceSql) {
    const reply = await worker.request({ type: 'sql-stats', reset: true }, 'sql-stats');
    sql = Array.isArray(reply.stats) ? null : reply.stats;
  }
  const sendSeconds = (sendEnd - loop.started) / 1000;
  const lastScheduled = loop.sentAt[spec.count - 1] ?? sendEnd;
  return {
    phase: spec.phase,
    title: spec.title,
    mode: spec.mode,
    messages: spec.count,
    citizens: messages.citizens,
    concurrency: spec.mode === 'closed-loop' ? options.concurrency : Math.max(options.concurrency, 64),
    targetRate: spec.mode === 'open-loop' ? options.rate : null,
    sendSeconds,
    achievedSendRate: spec.mode === 'open-loop' ? perSecond(spec.count - 1, lastScheduled - loop.started) : perSecond(loop.completed, sendEnd - loop.started),
    schedulerMaxLagMs,
    acks: {
      ok: loop.completed,
      errors: loop.errors,
      errorKinds: loop.errorKinds,
      perSecond: perSecond(loop.completed, lastAck - loop.started),
      latencyMs: summarize(loop.latencies),
    },
    endToEnd: {
      delivered: seen.distinct,
      missing: seen.missing,
      missingAfterAck: lostAfterAck,
      deliveredWithoutAck,
      duplicates: seen.duplicates,
      duplicateEventIds: seen.duplicateEventIds,
      waitOutcome,
      seconds: (seen.lastAt - loop.started) / 1000,
      perSecond: perSecond(seen.distinct, seen.lastAt - loop.started),
      latencyMs: summarize(e2e),
    },
    stored: { rows: stored.rows[0]?.rows ?? 0, distinctProviderIds: stored.rows[0]?.ids ?? 0 },
    backlogPeak: backlog.peak,
    backlogAtEnd,
    worker: jobStats,
    cpu,
    cpuMsPerMessage: Object.fromEntries(
      [...Object.entries(cpu.cores), ['all of the above', Object.values(cpu.cores).reduce((a, b) => a + b, 0)] as const].map(([k, v]) => [
        k,
        round((v * cpu.machine.wallSeconds * 1000) / Math.max(1, seen.distinct), 3),
      ]),
    ),
    sql,
  };
}
