import type { BaselineResult } from './baselines.js';
import type { JobStats, SqlStats } from './child-protocol.js';
import type { CpuDelta } from './cpu-sampler.js';
import { round, type LatencySummary } from './stats.js';

export interface ProcessCpu {
  /** Average cores used during the phase by each of our processes and by the shared services. */
  cores: Record<string, number>;
  /** Event-loop utilisation (0..1) of our Node processes. */
  eventLoop: Record<string, number>;
  machine: CpuDelta;
}

export interface PhaseResult {
  phase: string;
  title: string;
  mode: 'closed-loop' | 'open-loop';
  messages: number;
  citizens: number;
  concurrency: number;
  targetRate: number | null;
  sendSeconds: number;
  achievedSendRate: number;
  schedulerMaxLagMs: number | null;
  acks: { ok: number; errors: number; errorKinds: Record<string, number>; perSecond: number; latencyMs: LatencySummary };
  endToEnd: {
    delivered: number;
    /** Not delivered (acknowledged or not). */
    missing: number;
    /** Acknowledged to the provider but never delivered: lost. */
    missingAfterAck: number;
    deliveredWithoutAck: number;
    duplicates: number;
    duplicateEventIds: number;
    waitOutcome: string;
    seconds: number;
    perSecond: number;
    latencyMs: LatencySummary;
  };
  stored: { rows: number; distinctProviderIds: number };
  backlogPeak: number;
  /** Jobs still queued when the wait for deliveries ended. */
  backlogAtEnd: number;
  worker: JobStats | null;
  cpu: ProcessCpu;
  /** CPU milliseconds per delivered message, by process (postgres/redis include other users of the servers). */
  cpuMsPerMessage: Record<string, number>;
  sql: SqlStats | null;
}

export interface AckOnlyResult {
  rate: number;
  seconds: number;
  messages: number;
  achievedSendRate: number;
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  latencyMs: LatencySummary;
  schedulerMaxLagMs: number;
  apiCpuMsPerAck: number;
  apiEventLoop: number;
  machineBusyCores: number;
  queuedJobsDropped: number;
  /** 100 ms windows (by send time, seconds from start) whose worst ack took more than 50 ms. */
  slowWindows: Array<{ atSeconds: number; requests: number; maxMs: number }>;
  /** The unmeasured first second at the same rate (start-up transient). */
  warmupLatencyMs: LatencySummary;
}

export interface IngestReport {
  benchmark: 'ingest';
  startedAt: string;
  durationSeconds: number;
  quick: boolean;
  machine: { cpus: number; node: string; postgres: string; loadAverageAtStart: number[] };
  topology: { name: string; description: string; processes: Record<string, string> };
  settings: Record<string, string | number | boolean>;
  baselines: { fastifyHello: BaselineResult | null; pgInsert: BaselineResult | null };
  /** Webhook acks with only the API process running (split topology). */
  ackOnly: AckOnlyResult | null;
  phases: PhaseResult[];
  ratios: Record<string, number | null>;
  /** met: null when it could not be verified (the run ended with a backlog). */
  targets: Array<{ what: string; target: string; measured: string; met: boolean | null }>;
  conversationsOpened: number;
  notes: string[];
}

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const f1 = (n: number) => (Number.isFinite(n) ? round(n, 1).toFixed(1) : '—');
const f2 = (n: number) => (Number.isFinite(n) ? round(n, 2).toFixed(2) : '—');
const lat = (s: LatencySummary) => `${f1(s.p50)} / ${f1(s.p95)} / ${f1(s.p99)} / ${f1(s.max)}`;

function rows(report: IngestReport): string[][] {
  const out: string[][] = [['Measure', 'Value']];
  const { fastifyHello, pgInsert } = report.baselines;
  if (fastifyHello) out.push([`Baseline Fastify hello-world (c=${fastifyHello.concurrency})`, `${f0(fastifyHello.perSecond)} req/s, p50/p95/p99/max ${lat(fastifyHello.latencyMs)} ms, server CPU ${f2(fastifyHello.serverCpuMsPerOp)} ms/req`]);
  if (pgInsert) out.push([`Baseline pg single-row INSERT (c=${pgInsert.concurrency})`, `${f0(pgInsert.perSecond)} inserts/s, p50/p95/p99/max ${lat(pgInsert.latencyMs)} ms, postgres CPU ${f2(pgInsert.serverCpuMsPerOp)} ms/insert`]);
  const a = report.ackOnly;
  if (a) {
    out.push([
      `API only (worker not started): acks at ${f0(a.rate)}/s`,
      `sent ${f0(a.achievedSendRate)}/s for ${a.seconds} s, ack p50/p95/p99/max ${lat(a.latencyMs)} ms, ${a.errors} errors; API CPU ${f2(a.apiCpuMsPerAck)} ms/ack, event loop ${f2(a.apiEventLoop)}`,
    ]);
    out.push([
      'API only: stalls (100 ms windows with an ack > 50 ms)',
      `${a.slowWindows.length === 0 ? 'none' : `${a.slowWindows.length} × 100 ms, worst ${a.slowWindows.slice().sort((x, y) => y.maxMs - x.maxMs).slice(0, 3).map((w) => `${f0(w.maxMs)} ms at ${w.atSeconds}s`).join(', ')}`}; unmeasured 1 s warm-up at the same rate: p99 ${f1(a.warmupLatencyMs.p99)}, max ${f1(a.warmupLatencyMs.max)} ms`,
    ]);
  }
  for (const p of report.phases) {
    const head = `${p.title}`;
    out.push([`${head}: messages (citizens)`, `${f0(p.messages)} (${f0(p.citizens)} phones)`]);
    if (p.mode === 'closed-loop') out.push([`${head}: webhook acks`, `${f0(p.acks.perSecond)} acks/s (c=${p.concurrency}), p50/p95/p99/max ${lat(p.acks.latencyMs)} ms, ${p.acks.errors} errors`]);
    else
      out.push([
        `${head}: webhook acks`,
        `offered ${f0(p.targetRate ?? NaN)}/s, sent ${f0(p.achievedSendRate)}/s, ack p50/p95/p99/max ${lat(p.acks.latencyMs)} ms, ${p.acks.errors} errors`,
      ]);
    out.push([`${head}: end to end`, `${f0(p.endToEnd.perSecond)} msgs/s over ${f1(p.endToEnd.seconds)} s (first send → last delivery)`]);
    out.push([`${head}: e2e latency p50/p95/p99/max`, `${lat(p.endToEnd.latencyMs)} ms`]);
    out.push([
      `${head}: delivery check`,
      `${f0(p.endToEnd.delivered)} delivered once, ${p.endToEnd.missing} missing (${p.endToEnd.missingAfterAck} of them acked), ${p.endToEnd.duplicates} duplicates (${p.endToEnd.duplicateEventIds} repeated eventIds); stored ${f0(p.stored.rows)} rows / ${f0(p.stored.distinctProviderIds)} distinct ids; wait: ${p.endToEnd.waitOutcome}`,
    ]);
    if (p.worker)
      out.push([
        `${head}: worker job p50/p99`,
        `queue wait ${f1(p.worker.queueWaitMs.p50)}/${f1(p.worker.queueWaitMs.p99)} ms, processing ${f1(p.worker.processingMs.p50)}/${f1(p.worker.processingMs.p99)} ms, peak backlog ${f0(p.backlogPeak)}, left at end ${f0(p.backlogAtEnd)}`,
      ]);
    out.push([
      `${head}: CPU (cores)`,
      `${Object.entries(p.cpu.cores)
        .map(([k, v]) => `${k} ${f2(v)}`)
        .join(', ')}; machine ${f2(p.cpu.machine.machineBusyCores)} of ${report.machine.cpus} busy, of which other users ≈ ${f2(Math.max(0, p.cpu.machine.machineBusyCores - Object.values(p.cpu.cores).reduce((x, y) => x + y, 0)))}`,
    ]);
    out.push([
      `${head}: CPU ms per message`,
      Object.entries(p.cpuMsPerMessage)
        .map(([k, v]) => `${k} ${f2(v)}`)
        .join(', '),
    ]);
  }
  for (const [k, v] of Object.entries(report.ratios)) out.push([`Ratio ${k}`, v === null ? '—' : f2(v)]);
  for (const t of report.targets) out.push([`Target: ${t.what}`, `${t.measured} (target ${t.target}) ${t.met === null ? 'UNVERIFIED' : t.met ? 'MET' : 'NOT MET'}`]);
  return out;
}

export function textTable(report: IngestReport): string {
  const table = rows(report);
  const width = Math.max(...table.map((r) => (r[0] ?? '').length));
  const lines = table.map((r, i) => `${(r[0] ?? '').padEnd(width)}  ${r[1] ?? ''}${i === 0 ? `\n${'-'.repeat(width)}  ${'-'.repeat(40)}` : ''}`);
  for (const p of report.phases) {
    if (!p.sql) continue;
    lines.push('', `Worker SQL during ${p.title}: transaction p50/p99 ${f1(p.sql.transactionMs.p50)}/${f1(p.sql.transactionMs.p99)} ms, ${f1(p.sql.roundTripsPerTransaction)} round trips per transaction, pool wait p50/p99 ${f1(p.sql.poolWaitMs.p50)}/${f1(p.sql.poolWaitMs.p99)} ms`);
    for (const s of p.sql.statements.slice(0, 15)) lines.push(`  ${f0(s.count).padStart(7)} × ${f2(s.meanMs).padStart(6)} ms = ${f1(s.totalMs / 1000).padStart(6)} s  ${s.statement}`);
  }
  return [`Ingest benchmark — ${report.topology.name} topology, ${report.startedAt}${report.quick ? ' (quick)' : ''}`, ...lines].join('\n');
}

export function markdown(report: IngestReport, jsonFile: string): string {
  const table = rows(report);
  const md: string[] = [];
  md.push(`# Ingest benchmark${report.quick ? ' (quick smoke run)' : ''}`);
  md.push('');
  md.push(
    `Run ${report.startedAt}, ${f0(report.durationSeconds)} s, ${report.machine.cpus} cores (load average at start ${report.machine.loadAverageAtStart.join(' / ')}: a shared, noisy machine — compare ratios and CPU per message rather than absolute rates), Node ${report.machine.node}, ${report.machine.postgres}. Raw figures: \`${jsonFile}\`.`,
  );
  md.push('');
  md.push(`**Topology:** ${report.topology.name} — ${report.topology.description}`);
  md.push('');
  md.push('Command: `npm run bench:ingest' + (report.quick ? ' -- --quick' : '') + '`; settings: ' + Object.entries(report.settings).map(([k, v]) => `${k}=${v}`).join(', ') + '.');
  md.push('');
  md.push('| Measure | Value |');
  md.push('|---|---|');
  for (const r of table.slice(1)) md.push(`| ${r[0]} | ${(r[1] ?? '').replace(/\|/g, '\\|')} |`);
  md.push('');
  const sqlPhase = report.phases.find((p) => p.sql);
  if (sqlPhase?.sql) {
    md.push(`## Worker SQL (${sqlPhase.title}, BENCH trace)`);
    md.push('');
    md.push(`Transactions p50/p99 ${f1(sqlPhase.sql.transactionMs.p50)}/${f1(sqlPhase.sql.transactionMs.p99)} ms, ${f1(sqlPhase.sql.roundTripsPerTransaction)} round trips each; pool wait p50/p99 ${f1(sqlPhase.sql.poolWaitMs.p50)}/${f1(sqlPhase.sql.poolWaitMs.p99)} ms.`);
    md.push('');
    md.push('| Statement | Count | Mean ms | Total s |');
    md.push('|---|---|---|---|');
    for (const s of sqlPhase.sql.statements.slice(0, 15)) md.push(`| \`${s.statement.replace(/\|/g, '\\|')}\` | ${f0(s.count)} | ${f2(s.meanMs)} | ${f1(s.totalMs / 1000)} |`);
    md.push('');
  }
  if (report.notes.length > 0) {
    md.push('## Notes');
    md.push('');
    for (const n of report.notes) md.push(`- ${n}`);
    md.push('');
  }
  return md.join('\n');
}
