import { fileURLToPath } from 'node:url';
import { writeReportFile } from '../bench-report.js';
import type { LatencySummary } from '../ingest/stats.js';
import { n0, n1, n2 } from '../report-format.js';
import type { LiveResult } from './live.js';
import type { MachineInfo } from './run-env.js';
import type { PassStep } from './sql-timeline.js';
import type { StormResult } from './storm.js';

/** The Markdown report of `npm run bench:router-db` (bench/reports/router-db-latest.md) and its console summary. */
export interface RouterDbReport {
  startedAt: string;
  durationSeconds: number;
  command: string;
  machine: MachineInfo;
  storm: StormResult | null;
  live: LiveResult | null;
  errors: string[];
}

export const STORM_TARGET_MS = 10_000;

const REPORT = fileURLToPath(new URL('../../reports/router-db-latest.md', import.meta.url));

const s2 = (ms: number): string => `${n2(ms / 1000)} s`;
const lat = (l: LatencySummary): string => `${n1(l.p50)} / ${n1(l.p95)} / ${n1(l.p99)} / ${n1(l.max)} ms (n=${n0(l.count)})`;

const STEP_NAMES: [PassStep, string][] = [
  ['lock', 'router lock (pg_try_advisory_xact_lock)'],
  ['settings', 'queues, skills, campaign routing'],
  ['intake', 'intake of new conversations'],
  ['agents', 'snapshot: available agents, memberships, skills'],
  ['waiting', 'snapshot: waiting conversations'],
  ['strategy', 'strategy memory'],
  ['claim', 'router_claim(decisions) — the conditional claims, offers, events, outbox'],
  ['saveStrategy', 'save strategy memory'],
  ['commit', 'COMMIT'],
];

export function stormMet(storm: StormResult): boolean {
  return storm.offered >= storm.target && storm.persistedMs <= STORM_TARGET_MS && storm.allRunsOk;
}

function stormSection(s: StormResult): string[] {
  const rate = s.offered / (s.persistedMs / 1000);
  const lines: string[] = [
    '## 1. Shift-start storm',
    '',
    `${n0(s.world.agents)} agents × ${s.world.textSlots} text slots go available at once (one set-based UPDATE of agent_seats, committed) with ${n0(s.world.waiting)} text conversations already in line; the hub's router (\`RouterService.runPass\` → \`runRoutingPass\` → \`router_claim\`) runs passes in this process until the offers are persisted. Timed from the commit of "agents available" to the commit of the pass that made the last offer.`,
    '',
    '| Measure | Value |',
    '|---|---|',
    `| World | ${s.world.campaigns} campaigns, ${n0(s.world.skills)} skills, ${s.world.queues} queues (a general line per campaign, the others requiring 1–2 skills at level 1–3); ${n0(s.world.agents)} agents, ${n0(s.world.memberships)} campaign memberships (${n0(s.world.memberships - s.world.agents)} agents in two campaigns), ${n0(s.world.agentSkills)} agent skills (3–8 each, levels 1–5); ${n0(s.world.waiting)} conversations waiting; seed ${s.settings.seed} |`,
    `| Seeding (set-based SQL) | staff ${s2(s.seed.staffMs)}, conversations ${s2(s.seed.conversationsMs)}, VACUUM ANALYZE ${s2(s.seed.analyzeMs)} |`,
    `| **Storm: offers persisted** | **${n0(s.offered)} of ${n0(s.target)} free slots in ${s2(s.persistedMs)}** over ${s.passes.filter((p) => p.claimed > 0).length} pass(es) → **${n0(rate)} assignments/s** (offers rows + conversations 'offered' + load counters + events + outbox, committed) |`,
    ...(s.repeats.length > 1
      ? [
          `| Repeats (each from the same data; the median is detailed below) | persisted ${s.repeats.map((x) => n2(x.persistedMs / 1000)).join(' / ')} s; with effects ${s.repeats.map((x) => n2(x.withEffectsMs / 1000)).join(' / ')} s${s.baseline ? `; raw baseline ${s.repeats.map((x) => n2(x.baselineMs / 1000)).join(' / ')} s; ratio ${s.repeats.map((x) => n2(x.persistedMs / x.baselineMs)).join(' / ')}×` : ''}; checks ${s.allRunsOk ? 'pass in every repeat' : 'FAILED in a repeat'} |`,
        ]
      : []),
    `| Storm: until the last pass returned | ${s2(s.withEffectsMs)} (adds RouterService.apply after the commit: publishing the notifications, scheduling the offer-timeout jobs — one per pass and expiry) |`,
    `| "Agents available" UPDATE | ${n0(s.availability.seats)} seats in ${n0(s.availability.ms)} ms (not counted) |`,
    `| Warm pass before the storm (no agent available) | ${n1(s.idlePassMs)} ms |`,
  ];
  s.passes.forEach((p) => {
    const steps = STEP_NAMES.filter(([k]) => p.phases.stepsMs[k] !== undefined)
      .map(([k, name]) => `${name} ${n0(p.phases.stepsMs[k] ?? NaN)} ms`)
      .join('; ');
    lines.push(
      `| Pass ${p.index}: ${n0(p.claimed)} claimed of ${n0(p.planned)} planned, ${n0(p.waiting)} waiting read, ${n0(p.availableAgents)} agents | transaction ${n0(p.phases.transactionMs)} ms — ${steps}; **plan (planAssignments + claim payload, JS) ${n0(p.phases.planMs)} ms**. After commit ${n0(p.effectsMs)} ms: publish ${n0(p.publishMs)} ms, ${n0(p.timers)} offer timers ${n0(p.timersMs)} ms |`,
    );
  });
  lines.push(`| Pure core on the same world, in memory | planAssignments: ${n0(s.pureCore.decisions)} decisions in ${n0(s.pureCore.ms)} ms |`);
  if (s.baseline) {
    const b = s.baseline;
    const parts = Object.entries(b.statementsMs)
      .map(([k, v]) => `${k} ${n0(v)} ms`)
      .join('; ');
    lines.push(
      `| Raw baseline: the same writes, set-based, no decision | ${n0(b.rows)} rows in ${s2(b.totalMs)} — ${parts} (one statement per table, conversation k → seat k mod seats, rolled back) |`,
      `| **Ratio storm (persisted) ÷ raw baseline** | **${n2(s.persistedMs / b.totalMs)}×** |`,
    );
    const claim = s.passes.reduce((sum, p) => sum + (p.phases.stepsMs.claim ?? 0), 0);
    lines.push(`| Ratio router_claim alone ÷ raw baseline | ${n2(claim / b.totalMs)}× |`);
  }
  lines.push(
    `| CPU during the storm (cores, average) | postgres ${n2(s.cpu.servicesCores['postgres'] ?? NaN)}, redis-server ${n2(s.cpu.servicesCores['redis-server'] ?? NaN)}, bench process (router) ${n2(s.cpu.benchCores)}; whole machine ${n2(s.cpu.machineBusyCores)} cores busy (other users included) |`,
    `| Target: ${n0(s.target)} offers persisted ≤ 10 s, invariants hold | ${s2(s.persistedMs)}${s.repeats.length > 1 ? ` (median of ${s.repeats.length})` : ''}, ${s.allRunsOk ? 'all checks pass' : 'CHECKS FAILED'} — ${stormMet(s) ? 'MET' : 'NOT MET'} |`,
  );
  if (s.diagnosis.length > 0) {
    lines.push('', '### router_claim, statement by statement', '');
    lines.push(
      'The same pass replayed before the storm in a transaction that is rolled back, with `auto_explain` (log_analyze off) reporting each nested statement’s duration; once as migrated, once with `session_replication_role = replica`, which skips the foreign-key triggers (the only triggers on the tables the claim writes). The replays run with logging on, so absolute times are above the storm’s; compare the columns.',
      '',
    );
    const [withFk, withoutFk] = s.diagnosis;
    const names = [...new Set(s.diagnosis.flatMap((d) => d.statements.map((x) => x.name)))];
    lines.push(`| Statement | FK checks on (${n0(withFk?.claimed ?? NaN)} claimed) | FK checks off |`, '|---|---|---|');
    for (const name of names) {
      const a = withFk?.statements.find((x) => x.name === name)?.ms ?? NaN;
      const b = withoutFk?.statements.find((x) => x.name === name)?.ms ?? NaN;
      lines.push(`| ${name} | ${n0(a)} ms | ${n0(b)} ms |`);
    }
  }
  lines.push('', '### Checks after the storm', '', '| Check | Value | Expected | |', '|---|---|---|---|');
  for (const c of s.verification.checks) lines.push(`| ${c.name} | ${n0(c.value)} | ${n0(c.expected)} | ${c.ok ? 'ok' : '**FAIL**'} |`);
  lines.push(`| conversations still waiting (no free slot they qualify for) | ${n0(s.verification.stillQueued)} | — | |`);
  return lines;
}

function liveSection(l: LiveResult): string[] {
  const cores = Object.entries(l.cpu.cores)
    .map(([k, v]) => `${k} ${n2(v)}`)
    .join(', ');
  const loops = Object.entries(l.cpu.eventLoop)
    .map(([k, v]) => `${k} ${n2(v)}`)
    .join(', ');
  return [
    '## 2. Arrival → offer on a live hub',
    '',
    `Hub ${l.topology === 'split' ? 'API (HTTP + socket.io) and worker (ingest, router, timers) in two child processes' : 'in one child process (HUB_ROLE=all)'}; one campaign, an API channel, a default queue requiring one skill, ${n0(l.agents)} agents × ${l.textSlots} text slots available (capacity never runs out). Citizens post signed webhooks from distinct phones (each opens a conversation) at a fixed rate, open loop: every latency counts from the post's due time. A supervisor's staff socket in the campaign room timestamps \`message.created\` (ingest done: stored and published) and \`conversation.offered\` (router done: offer committed and published) with the load generator's clock.`,
    '',
    '| Measure | Value |',
    '|---|---|',
    `| Load | ${n0(l.posts)} posts at ${n0(l.rate)}/s for ${l.seconds} s (after a warm-up at half rate); achieved ${n1(l.achievedRate)} posts/s, send lag max ${n1(l.maxSendLagMs)} ms; ${n0(l.acked)} acked, ${n0(l.errors)} errors${l.errors > 0 ? ` ${JSON.stringify(l.errorKinds)}` : ''} |`,
    `| Webhook ack p50 / p95 / p99 / max | ${lat(l.ackMs)} |`,
    `| **Baseline, ingest only: post due → message.created** p50 / p95 / p99 / max | **${lat(l.ingestMs)}** |`,
    `| **Arrival → conversation.offered** p50 / p95 / p99 / max | **${lat(l.offerMs)}** |`,
    `| Router's share: message.created → conversation.offered, per conversation | ${lat(l.routerMs)} |`,
    `| Ratio arrival→offer ÷ ingest only | p50 ${n2(l.offerMs.p50 / l.ingestMs.p50)}×, p99 ${n2(l.offerMs.p99 / l.ingestMs.p99)}× |`,
    `| Offers | ${n0(l.offered)} of ${n0(l.posts)} conversations offered (${n0(l.notOffered)} not seen; wait: ${l.waitOutcome}), ${n1(l.offersPerSecond)} offers/s, ${n0(l.reoffers)} offered twice |`,
    `| PostgreSQL clock (interaction_events): opened → queued (intake) | ${lat(l.db.openedToQueuedMs)} |`,
    `| PostgreSQL clock: queued → offered (rest of the same pass: intake of the others, snapshot, plan, claim) | ${lat(l.db.queuedToOfferedMs)} |`,
    `| PostgreSQL clock: opened → offered | ${lat(l.db.openedToOfferedMs)} |`,
    `| Claiming passes | ${n0(l.db.claimTransactions)} transactions made the offers (${n1(l.db.claimTransactions / l.seconds)}/s); offers per pass p50 / p95 / max ${n0(l.db.offersPerClaim.p50)} / ${n0(l.db.offersPerClaim.p95)} / ${n0(l.db.offersPerClaim.max)} |`,
    `| CPU during the measured phase (cores) | ${cores}; machine ${n2(l.cpu.machine.machineBusyCores)} busy. Event loop: ${loops} |`,
    `| Checks at the end | ${l.verification.checks.filter((c) => c.ok).length} of ${l.verification.checks.length} pass${l.verification.ok ? '' : `; failed: ${l.verification.checks.filter((c) => !c.ok).map((c) => `${c.name} = ${c.value}`).join(', ')}`} |`,
    '',
    `### Worker statements during the measured phase`,
    '',
    `The process that runs the ingest and the router, every statement timed (bench-hub-process.ts with BENCH_TRACE_SQL=1: wall time from send to result, pool queueing excluded). ${n0(l.db.claimTransactions)} claiming passes in this phase.`,
    '',
    '| Statement | Count | Mean ms | Total ms |',
    '|---|---|---|---|',
    ...l.workerSql.map((st) => `| \`${st.statement.replace(/\|/g, '\\|').slice(0, 110)}\` | ${n0(st.count)} | ${n2(st.meanMs)} | ${n0(st.totalMs)} |`),
  ];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : (sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN);
};

function intakeSection(s: StormResult): string[] {
  const i = s.intake;
  if (!i) return [];
  const hub = median(i.hubMs);
  const set = median(i.setBasedMs);
  return [
    '## 3. Intake of new conversations: hub vs a set-based baseline',
    '',
    `The first step of every routing pass, under the router lock (\`intakeNewConversations\`). Measured in the storm's process and schema: ${n0(i.conversations)} conversations made new again inside a transaction that is rolled back, then taken in by the hub's code, or by a raw baseline making the same writes for the common case (open hours, no sticky agent) set-based: the same SELECT … FOR UPDATE SKIP LOCKED and sticky lookup, then one UPDATE of the conversations and one INSERT of their \`conversation.queued\` events.`,
    '',
    '| Measure | Value |',
    '|---|---|',
    `| Hub (one UPDATE and one event INSERT per conversation) | ${i.hubMs.map((v) => n0(v)).join(' / ')} ms → median ${n2(hub / Math.max(1, i.conversations))} ms per conversation |`,
    `| Set-based baseline (two statements for all) | ${i.setBasedMs.map((v) => n0(v)).join(' / ')} ms → median ${n2(set / Math.max(1, i.conversations))} ms per conversation |`,
    `| Ratio hub ÷ set-based | ${n1(hub / set)}× |`,
  ];
}

function findingsSection(r: RouterDbReport): string[] {
  const out: string[] = [];
  const s = r.storm;
  const l = r.live;
  if (l) {
    const perRow = l.workerSql.filter((st) => st.statement.startsWith('update "conversations" set "queue_id"') || st.statement.startsWith('insert into "interaction_events"'));
    const total = perRow.reduce((sum, st) => sum + st.totalMs, 0);
    const count = perRow.reduce((sum, st) => sum + st.count, 0);
    if (count > 0) {
      out.push(
        `- **Live: the intake is row by row.** During the ${l.seconds}-s phase the worker sent ${n0(count)} single-row statements for the intake (one UPDATE of the conversation and one \`conversation.queued\` INSERT per new conversation), ${s2(total)} of sequential round trips inside passes that hold the router lock — ${n0((total / (l.seconds * 1000)) * 100)} % of the wall time — so the passes fall behind the arrivals (${n0(l.db.claimTransactions)} claiming passes, up to ${n0(l.db.offersPerClaim.max)} offers each) and conversations wait for intake (PostgreSQL clock opened → queued p50 ${n0(l.db.openedToQueuedMs.p50)} ms).` +
          (s?.intake ? ` A set-based intake of the same rows is ${n1(median(s.intake.hubMs) / median(s.intake.setBasedMs))}× faster (section 3).` : ''),
      );
    }
  }
  if (s) {
    const [on, off] = s.diagnosis;
    const offersOn = on?.statements.find((x) => x.name === 'INSERT offers')?.ms;
    const offersOff = off?.statements.find((x) => x.name === 'INSERT offers')?.ms;
    const claimOn = on?.statements.find((x) => x.name.startsWith('router_claim'))?.ms;
    const claimOff = off?.statements.find((x) => x.name.startsWith('router_claim'))?.ms;
    if (offersOn !== undefined && offersOff !== undefined && claimOn !== undefined && claimOff !== undefined) {
      out.push(
        `- **Storm: foreign-key checks on offers.** \`INSERT offers\` fires four RI checks per row (conversation, agent, campaign, queue): ${n0(offersOn)} ms with them, ${n0(offersOff)} ms without, out of a ${n0(claimOn)} ms claim (${n0(claimOff)} ms with no FK trigger at all).`,
      );
    }
    const pass = s.passes.find((p) => p.claimed > 0);
    if (pass) {
      out.push(
        `- **Storm: after the commit.** RouterService.apply spent ${n0(pass.timersMs)} ms scheduling ${n0(pass.timers)} offer-timeout jobs (one BullMQ job per offer) and ${n0(pass.publishMs)} ms handing ${n0(pass.claimed)} notifications to the emitter; the process runs no other pass meanwhile (the drain loop awaits apply).`,
      );
    }
    const outbox = on?.statements.find((x) => x.name.startsWith('INSERT outbox'))?.ms;
    const rawOutbox = s.baseline?.statementsMs['INSERT outbox'];
    if (outbox !== undefined && rawOutbox !== undefined) {
      out.push(
        `- **Storm: outbox rows returned as one jsonb.** \`INSERT outbox … RETURNING\` + \`jsonb_agg\` of the payloads took ${n0(outbox)} ms (replay) against ${n0(rawOutbox)} ms for the raw INSERT of the same rows; the aggregated payloads then travel to the client and are parsed there.`,
      );
    }
  }
  return out.length > 0 ? ['## Findings', '', ...out, ''] : [];
}

export function renderReport(r: RouterDbReport): string {
  const m = r.machine;
  const lines = [
    '# Router in the database: benchmarks',
    '',
    `Run ${r.startedAt}, ${n0(r.durationSeconds)} s; ${m.cpus} cores (${m.cpuModel}; load average at start ${m.loadAverageAtStart.join(' / ')} — a shared, noisy machine: compare the ratios, measured in the same run, rather than absolute times), Node ${m.node}, ${m.postgres}, Redis on loopback.`,
    '',
    `Command: \`${r.command}\`. Code: \`bench/src/router-db.bench.ts\`, \`bench/src/router-db/\`. Each benchmark uses a schema and Redis prefix of its own, dropped at the end.`,
    '',
  ];
  if (r.storm) lines.push(...stormSection(r.storm), '');
  if (r.live) lines.push(...liveSection(r.live), '');
  if (r.storm) {
    const intake = intakeSection(r.storm);
    if (intake.length > 0) lines.push(...intake, '');
  }
  lines.push(...findingsSection(r));
  if (r.errors.length > 0) lines.push('## Errors', '', ...r.errors.map((e) => `- ${e}`), '');
  lines.push(
    '## Notes',
    '',
    '- **Storm phases** come from the statements the pass sends (pg `Client.query` timed in this process, bench-only): each step runs from its first statement’s start to its last one’s end; *plan* is the JavaScript between the last snapshot read and the `router_claim` call (`planAssignments` and the JSON of the decisions). The claim’s time includes sending the decisions and parsing the returned `claimed` and `outbox` lists.',
    '- **Raw baseline**: the same rows written to the same tables (seat loads, conversations, offers with their foreign keys, events, outbox) by one set-based statement per table, with no routing decision and no decision list sent from the client — the floor for persisting the storm in this database. Rolled back (no commit), then VACUUM ANALYZE before the storm.',
    '- **Agents available** is one set-based UPDATE (the storm’s trigger), not 10,000 `changeAgentState` calls: those would also write one `agent.state_changed` event and outbox rows per agent and kick the router as they trickle in.',
    '- **Live latency** includes the hub’s realtime path on both ends (outbox → Redis → socket.io → socket); the router’s share subtracts the ingest’s end on the same socket, per conversation. The PostgreSQL-clock rows use `interaction_events.occurred_at` (clock_timestamp at insert, millisecond precision), independent of the socket path.',
    '',
  );
  return lines.join('\n');
}

export function writeReport(r: RouterDbReport): string {
  return writeReportFile(REPORT, renderReport(r));
}

export function summaryLines(r: RouterDbReport): string[] {
  const out: string[] = [];
  const s = r.storm;
  if (s) {
    out.push(
      `storm: ${n0(s.offered)}/${n0(s.target)} offers persisted in ${s2(s.persistedMs)} (${n0(s.offered / (s.persistedMs / 1000))} assignments/s, ${s.passes.filter((p) => p.claimed > 0).length} pass(es)); with after-commit effects ${s2(s.withEffectsMs)}; target ≤ 10 s ${stormMet(s) ? 'MET' : 'NOT MET'}`,
    );
    if (s.baseline) out.push(`storm: raw baseline ${s2(s.baseline.totalMs)} → ratio ${n2(s.persistedMs / s.baseline.totalMs)}×`);
    if (s.repeats.length > 1) out.push(`storm: repeats persisted ${s.repeats.map((x) => n2(x.persistedMs / 1000)).join(' / ')} s`);
    out.push(`storm: checks ${s.allRunsOk ? 'all pass' : 'FAILED'}`);
  }
  const l = r.live;
  if (l) {
    out.push(
      `live: ${n1(l.achievedRate)} posts/s, arrival→offer p50/p95/p99/max ${n1(l.offerMs.p50)}/${n1(l.offerMs.p95)}/${n1(l.offerMs.p99)}/${n1(l.offerMs.max)} ms; ingest only ${n1(l.ingestMs.p50)}/${n1(l.ingestMs.p95)}/${n1(l.ingestMs.p99)}/${n1(l.ingestMs.max)} ms; ${n0(l.offered)}/${n0(l.posts)} offered`,
    );
  }
  for (const e of r.errors) out.push(`error: ${e}`);
  return out;
}
