import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Config } from '@ventanilla/hub';
import type { AgentReceiver } from './agent-receiver.js';
import type { RunningHub } from './hub-topology.js';
import type { IngestReport, PhaseResult } from './ingest-report.js';
import type { Options } from './options.js';
import { round } from './stats.js';

export interface ReportInput {
  options: Options;
  startedAt: Date;
  /** performance.now() when the run started. */
  t0: number;
  cores: number;
  postgresVersion: string;
  config: Config;
  /** Its processes, and the API-only ack phase measured while starting it. */
  hub: RunningHub;
  baselines: IngestReport['baselines'];
  phases: PhaseResult[];
  receiver: AgentReceiver;
  /** Notes gathered during the run; the verdicts below append theirs, and the report keeps this array. */
  notes: string[];
}

/** Ratios to the baselines: absolute rates vary with the (shared) machine, ratios much less. */
function ratios(input: ReportInput): IngestReport['ratios'] {
  const { fastifyHello, pgInsert } = input.baselines;
  const { ackOnly } = input.hub;
  const p1 = input.phases.find((p) => p.phase === 'p1');
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 && Number.isFinite(a) ? round(a / b, 4) : null);
  return {
    'API-only ack p99 ÷ Fastify hello p99': ratio(ackOnly?.latencyMs.p99, fastifyHello?.latencyMs.p99),
    'API-only CPU per ack ÷ Fastify hello CPU per request': ratio(ackOnly?.apiCpuMsPerAck, fastifyHello?.serverCpuMsPerOp),
    'webhook acks/s ÷ Fastify hello req/s (phase 1)': ratio(p1?.acks.perSecond, fastifyHello?.perSecond),
    'webhook ack p99 ÷ Fastify hello p99 (phase 1)': ratio(p1?.acks.latencyMs.p99, fastifyHello?.latencyMs.p99),
    'end-to-end msgs/s ÷ Fastify hello req/s': ratio(p1?.endToEnd.perSecond, fastifyHello?.perSecond),
    'end-to-end msgs/s ÷ raw pg inserts/s': ratio(p1?.endToEnd.perSecond, pgInsert?.perSecond),
    'hub API CPU per message ÷ Fastify hello CPU per request (phase 1)': ratio(p1?.cpuMsPerMessage['api'] ?? p1?.cpuMsPerMessage['hub'], fastifyHello?.serverCpuMsPerOp),
    'PostgreSQL CPU per message ÷ per raw insert (phase 1)': ratio(p1?.cpuMsPerMessage['postgres'], pgInsert?.serverCpuMsPerOp),
  };
}

/** The SPEC §8 targets, plus exactly-once per phase. */
function targets(input: ReportInput): IngestReport['targets'] {
  const { options, phases } = input;
  const { ackOnly } = input.hub;
  const p1 = phases.find((p) => p.phase === 'p1');
  const p2 = phases.find((p) => p.phase === 'p2');
  const result: IngestReport['targets'] = [];
  if (ackOnly) {
    result.push({
      what: `webhook ack p99 at ${options.ackRate}/s (API only)`,
      target: '≤ 50 ms at 2,000 req/s',
      measured: `${ackOnly.latencyMs.p99.toFixed(1)} ms, ${ackOnly.errors} errors`,
      met: ackOnly.latencyMs.p99 <= 50 && ackOnly.errors === 0 && options.ackRate >= 2000,
    });
  }
  if (p1) result.push({ what: 'end-to-end throughput', target: '≥ 2,000 msgs/s', measured: `${Math.round(p1.endToEnd.perSecond)} msgs/s`, met: p1.endToEnd.perSecond >= 2000 && p1.endToEnd.missingAfterAck === 0 });
  if (p2) {
    result.push({
      what: `end-to-end p99 at ${options.rate}/s`,
      target: options.rate === 1000 ? '≤ 100 ms at 1,000/s' : '≤ 100 ms (spec: at 1,000/s)',
      measured: `${p2.endToEnd.latencyMs.p99.toFixed(1)} ms`,
      met: p2.endToEnd.latencyMs.p99 <= 100 && p2.endToEnd.missing === 0,
    });
  }
  for (const p of phases) {
    result.push({
      what: `exactly once (${p.title})`,
      target: 'every acked message stored and delivered once',
      measured: `${p.endToEnd.missingAfterAck} acked but not delivered, ${p.endToEnd.duplicates} duplicated, ${p.stored.rows} stored for ${p.acks.ok} acked`,
      met:
        p.endToEnd.missingAfterAck > 0 && p.backlogAtEnd > 0
          ? null
          : p.endToEnd.missingAfterAck === 0 && p.endToEnd.duplicates === 0 && p.stored.rows === p.stored.distinctProviderIds && p.stored.rows >= p.acks.ok,
    });
  }
  return result;
}

/** Appends what a reader needs to interpret the figures: incomplete waits, refused requests, scheduler slip. */
function addNotes(input: ReportInput): void {
  const { notes, phases, receiver } = input;
  const p2 = phases.find((p) => p.phase === 'p2');
  for (const p of phases) {
    if (p.backlogAtEnd > 0) notes.push(`${p.title}: the wait for deliveries ended (${p.endToEnd.waitOutcome}) with ${p.backlogAtEnd} jobs still queued: the hub had not caught up, so exactly-once could not be verified for the undelivered part.`);
    if (p.acks.errors > 0) notes.push(`${p.title}: ${p.acks.errors} webhook requests were not acknowledged (${Object.entries(p.acks.errorKinds).map(([k, v]) => `${v} × ${k}`).join(', ')}); the provider would retry them, they are not counted as lost.`);
    if (p.endToEnd.missing > 0) notes.push(`${p.title}: ${p.endToEnd.missing} messages not delivered when the wait ended (${p.endToEnd.waitOutcome}), ${p.endToEnd.missingAfterAck} of them acknowledged; end-to-end figures count delivered messages only.`);
  }
  if (p2 && p2.schedulerMaxLagMs !== null && p2.schedulerMaxLagMs > 20) notes.push(`Phase 2: the load generator's schedule slipped by up to ${p2.schedulerMaxLagMs.toFixed(0)} ms (latencies are measured from the scheduled time, so this counts against us).`);
  if (receiver.unmatched > 0) notes.push(`${receiver.unmatched} message.created events did not carry a bench marker.`);
  notes.push(
    `Latency is measured in the bench process with one monotonic clock: from the moment a request is handed to the HTTP client (phase 1) or is due by the schedule (phase 2) to the moment the agent socket's message.created handler runs. Marker "[bench <phase> <index>]" in the message text correlates them.`,
  );
}

/** The report of a finished run; its duration is taken now, so call it right after the last phase. */
export function assembleReport(input: ReportInput): IngestReport {
  const { options, config, hub, cores } = input;
  const reportRatios = ratios(input);
  const reportTargets = targets(input);
  addNotes(input);
  return {
    benchmark: 'ingest',
    startedAt: input.startedAt.toISOString(),
    durationSeconds: round((performance.now() - input.t0) / 1000, 1),
    quick: options.quick,
    machine: { cpus: cores, node: process.versions.node, postgres: input.postgresVersion, loadAverageAtStart: loadavg().map((v) => round(v, 2)) },
    topology:
      options.topology === 'split'
        ? {
            name: 'split',
            description: 'hub API (HTTP + socket.io, HUB_ROLE=api) and ingest worker (HUB_ROLE=worker) in two child processes; load generator and agent socket in the bench process; PostgreSQL and Redis servers on loopback.',
            processes: { api: `pid ${hub.api.pid}`, worker: `pid ${hub.worker.pid}` },
          }
        : {
            name: 'single',
            description: 'one hub child process (HUB_ROLE=all: HTTP + socket.io + ingest worker); load generator and agent socket in the bench process; PostgreSQL and Redis servers on loopback.',
            processes: { hub: `pid ${hub.api.pid}` },
          },
    settings: {
      messages: options.messages,
      concurrency: options.concurrency,
      rate: options.rate,
      seconds: options.seconds,
      citizens: options.citizens,
      INGEST_CONCURRENCY: config.INGEST_CONCURRENCY,
      DATABASE_POOL_SIZE: config.DATABASE_POOL_SIZE,
      LOG_LEVEL: config.LOG_LEVEL,
      traceSql: options.traceSql,
    },
    baselines: input.baselines,
    ackOnly: hub.ackOnly,
    phases: input.phases,
    ratios: reportRatios,
    targets: reportTargets,
    conversationsOpened: input.receiver.conversationsOpened,
    notes: input.notes,
  };
}
