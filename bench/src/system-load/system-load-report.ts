import { fileURLToPath } from 'node:url';
import { writeReportFile, type BenchReport } from '../bench-report.js';
import type { LatencySummary } from '../ingest/stats.js';
import { n0, n1, n2, ratio } from '../report-format.js';
import { CHANNELS, type ChannelFigures } from './load-metrics.js';
import type { SystemLoadResult } from './run-system-load.js';
import { starvedProcesses, systemLoadVerdicts, type Verdict } from './verdicts.js';

export type SystemLoadReport = BenchReport<SystemLoadResult | null>;

const REPORT = fileURLToPath(new URL('../../reports/system-load-latest.md', import.meta.url));

const lat = (l: LatencySummary) => (l.count === 0 ? '—' : `${n1(l.p50)} / ${n1(l.p95)} / ${n1(l.p99)}`);
const mean = (v: number[]) => (v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
const max = (v: number[]) => (v.length > 0 ? Math.max(...v) : NaN);
const ms = ([a, b]: [number, number]) => `${n1(a / 1000)}–${n1(b / 1000)} s`;

/** Figures that must not be trusted, or a correctness check failed: exit code 1. */
export function systemLoadBroken(report: SystemLoadReport): boolean {
  const r = report.result;
  if (!r) return true;
  const delivered = CHANNELS.reduce((n, c) => n + r.channels[c].delivered, 0);
  return delivered === 0 || r.checks.duplicateInbound > 0 || r.checks.overCapacityAgents > 0;
}

export function systemLoadSummaryLines(report: SystemLoadReport): string[] {
  const r = report.result;
  if (!r) return ['system-load bench: no result', ...report.errors];
  const lines = [`system-load bench: scale ×${r.options.scale}, ${r.options.agents} agents, ${n1(r.measuredSeconds)} s measured`];
  for (const c of CHANNELS) {
    const f = r.channels[c];
    lines.push(`  ${c.padEnd(8)} ${n1(f.acked / r.measuredSeconds)}/s acked; ack p99 ${n1(f.ackMs.p99)} ms; e2e p99 ${n1(f.e2eMs.p99)} ms; replies ${f.replies}, reply→send p99 ${n1(f.replyToSendMs.p99)} ms`);
  }
  lines.push(`  errors: ${Object.entries(r.errors).map(([k, v]) => `${k} ×${v}`).join('; ') || 'none'}`);
  for (const v of systemLoadVerdicts(r)) lines.push(`  ${v.row}: ${v.status}`);
  return lines;
}

export function writeSystemLoadReport(report: SystemLoadReport): string {
  return writeReportFile(REPORT, renderSystemLoadReport(report));
}

function channelRows(r: SystemLoadResult): string[] {
  const row = (c: string, f: ChannelFigures) =>
    `| ${c} | ${n0(f.sent)} | ${n0(f.acked)} | ${n2(f.acked / r.measuredSeconds)} | ${lat(f.ackMs)} | ${n0(f.delivered)} | ${lat(f.e2eMs)} | ${lat(f.offerToAcceptMs)} | ${n0(f.replies)} | ${lat(f.replyAckMs)} | ${n0(f.providerSends)} | ${lat(f.replyToSendMs)} | ${n0(f.conversationsClosed)} |`;
  return [
    '| Channel | Sent | Acked | Acked/s | Ack p50/p95/p99 ms | Delivered to agents | Webhook → agent socket p50/p95/p99 ms | Offer → accept p50/p95/p99 ms | Replies | Reply POST → 202 p50/p95/p99 ms | Reached provider / visitor | Reply → provider send p50/p95/p99 ms | Resolved |',
    '|---|---:|---:|---:|---|---:|---|---|---:|---|---:|---|---:|',
    ...CHANNELS.map((c) => row(c, r.channels[c])),
  ];
}

function verdictRows(verdicts: Verdict[]): string[] {
  return ['| SPEC §8 row | Target | This run | Verdict | Why |', '|---|---|---|---|---|', ...verdicts.map((v) => `| ${v.row} | ${v.target} | ${v.measured} | **${v.status}** | ${v.why} |`)];
}

/**
 * Where the time went, read from the figures: a hub process whose event loop is busy nearly all
 * the time while it gets a small share of a core is waiting for the CPU (the machine is shared),
 * not doing work; pool timeouts in the errors say the same of PostgreSQL connections.
 */
export function diagnosis(r: SystemLoadResult): string[] {
  const lines: string[] = [];
  const hub = r.processes.filter((p) => p.name === 'api' || p.name === 'worker');
  const names = starvedProcesses(r);
  const starved = hub.filter((p) => names.includes(p.name));
  if (starved.length > 0) {
    lines.push(
      `**CPU-starved (most likely)**: the machine was ${n0(r.machine.machineBusy * 100)} % busy while ${starved.map((p) => `${p.name} got ${n0(p.cpuPercentMean)} % of a core with its event loop ${n0((r.eventLoopUtilization[p.name] ?? NaN) * 100)} % busy`).join(' and ')}: a loop busy all the time on a small share of a core is what a process waiting for a core looks like (see the load average in the header), so these latencies are mostly the machine's queue for the CPU, not the hub's work. Re-run on a quiet machine before reading them as the product's.`,
    );
  } else if (hub.some((p) => p.cpuPercentMax >= 90)) {
    lines.push(`A hub process reached ${n0(Math.max(...hub.map((p) => p.cpuPercentMax)))} % of a core: it, not the machine, is the limit at this load.`);
  } else if (r.machine.machineBusy >= 0.9) {
    const ours = r.processes.reduce((n, p) => n + (Number.isFinite(p.cpuPercentMean) ? p.cpuPercentMean / 100 : 0), 0);
    lines.push(
      `The machine was ${n0(r.machine.machineBusy * 100)} % busy (${n2(r.machine.machineBusyCores)} cores), of which this run's processes used ${n2(ours)} cores and PostgreSQL + Redis ${n2((r.machine.servicesCores['postgres'] ?? 0) + (r.machine.servicesCores['redis-server'] ?? 0))}: the rest was other work on the machine. No hub process was saturated, so the tails (p95/p99) include waiting for a shared core; the medians are closer to the hub's own cost.`,
    );
  } else {
    lines.push('Neither the machine nor a hub process was saturated: the latencies above are the hub\'s own.');
  }
  const poolTimeouts = Object.entries(r.errors).filter(([k]) => /HTTP 5\d\d|timeout/.test(k)).reduce((n, [, v]) => n + v, 0);
  if (poolTimeouts > 0) lines.push(`${n0(poolTimeouts)} requests failed with 5xx or timed out; the hub child log names the cause (on a starved machine: "timeout exceeded when trying to connect", the PostgreSQL pool's connection timeout).`);
  return lines;
}

export function renderSystemLoadReport(report: SystemLoadReport): string {
  const r = report.result;
  const m = report.machine;
  const head = [
    '# System load test (issue 12 part 6)',
    '',
    `Run ${report.startedAt}, ${n0(report.durationSeconds)} s in all. Command: \`${report.command}\`.`,
    `Machine: ${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.postgres}; load average ${m.loadAverageAtStart.join(' / ')} at the start, ${m.loadAverageAtEnd.join(' / ')} at the end — **shared with other work**: figures of a busy machine are not the product's.`,
    '',
  ];
  if (!r) return [...head, 'No result: the run failed before measuring.', '', ...report.errors.map((e) => `- ${e}`), ''].join('\n');
  const errors = Object.entries(r.errors).sort((a, b) => b[1] - a[1]);
  const baseline = r.baseline;
  return [
    ...head,
    '## Profile: seed-digest §10 × ' + r.options.scale,
    '',
    ...r.load.arithmetic.map((l) => `- ${l}`),
    `- Agents: ${r.options.agents} simulated agents over socket.io (the inbox's /staff namespace), ${r.options.textSessions} chats each (seed §2.3: 4–5), e-mail 10, voice 0; 3 of 5 in Derechohabientes (WhatsApp, a web chat, the phone line), 2 of 5 in Contribuyentes (a web chat, SMS, e-mail), every tenth in both.`,
    `- Think times (uniform): agent accepts an offer after ${ms(r.options.acceptDelayMs)}, answers after ${ms(r.options.replyDelayMs)}; a citizen reads and writes back after ${ms(r.options.citizenDelayMs)}; web chat citizens write 3–4 messages, WhatsApp 3–5, SMS ${r.load.smsMessagesPerConversation}, e-mail 1; the last one closes and the agent resolves.`,
    `- Expected from the profile: ≈ ${n0(r.expectedRequestsPerSecond)} citizen requests/s (webhooks, widget posts, mails handed to ingest, voice webhooks), plus as many agent replies and the accepts/resolves.`,
    `- Measured window: ${n1(r.measuredSeconds)} s after a warm-up that is not counted.`,
    '',
    '## Verdict against SPEC §8',
    '',
    ...verdictRows(systemLoadVerdicts(r)),
    '',
    '## Per channel (measured window)',
    '',
    ...channelRows(r),
    '',
    'Ack = the request\'s HTTP answer (webhooks, widget POST, voice TwiML; e-mail: parsed and in the inbound queue). Webhook → agent socket = from sending the citizen\'s message to its `message.created` first seen on an agent\'s /staff socket (stored, published, fanned out). Reply → provider send = from the agent\'s POST to the Graph API / Twilio double receiving the send (WhatsApp, SMS) or the visitor\'s widget socket receiving it (web chat). Voice: each webhook of a call counts as one event.',
    '',
    '## Errors by kind',
    '',
    ...(errors.length === 0 ? ['None.'] : ['| Kind | Count |', '|---|---:|', ...errors.map(([k, v]) => `| ${k} | ${n0(v)} |`)]),
    '',
    '## Agents and queues',
    '',
    `- Offers seen ${n0(r.fleet.offers)}, accepted ${n0(r.fleet.accepted)}, accept failures ${n0(r.fleet.acceptFailed)}, offers that timed out (RONA: the agent goes not_ready and makes themself available again after a human pause) ${n0(r.fleet.ronaReturns)}, conversations resolved ${n0(r.fleet.resolved)}.`,
    `- Conversations held by an agent (5-s samples): mean ${n0(mean(r.heldSamples))}, max ${n0(max(r.heldSamples))} (capacity ${n0(r.options.agents * r.options.textSessions)} chats); waiting for an agent: mean ${n0(mean(r.waitingSamples))}, max ${n0(max(r.waitingSamples))}.`,
    `- Provider double: ${Object.entries(r.providers).map(([k, v]) => `${k} ${n0(v)}`).join(', ')}; SMTP sink accepted ${n0(r.smtpAccepted)} mails (e-mail answers).`,
    `- After the run: ${n0(r.checks.storedInbound)} inbound and ${n0(r.checks.storedOutbound)} outbound messages stored; ${n0(r.checks.duplicateInbound)} inbound stored twice; ${n0(r.checks.overCapacityAgents)} agents holding more chats than their capacity; ${n0(r.checks.openConversations)} conversations still open (citizens cut off by the end of the run or who gave up).`,
    '',
    '## CPU, memory, event loop',
    '',
    '| Process | CPU % of one core, mean / max (5-s samples) | RSS MiB mean / max | Event-loop utilisation |',
    '|---|---|---|---|',
    ...r.processes.map((p) => `| ${p.name} (pid ${p.pid}) | ${n0(p.cpuPercentMean)} / ${n0(p.cpuPercentMax)} | ${n0(p.rssMiBMean)} / ${n0(p.rssMiBMax)} | ${r.eventLoopUtilization[p.name] === undefined ? '—' : `${n0((r.eventLoopUtilization[p.name] ?? NaN) * 100)} %`} |`),
    '',
    `- API event-loop lag (prom-client p99 over its window, sampled every 5 s): mean ${n1(mean(r.apiLagP99Ms))} ms, max ${n1(max(r.apiLagP99Ms))} ms. The worker serves no HTTP: its event-loop utilisation is above.`,
    `- Whole machine: ${n0(r.machine.machineBusy * 100)} % busy (${n2(r.machine.machineBusyCores)} cores); PostgreSQL ${n2(r.machine.servicesCores['postgres'] ?? NaN)} cores, Redis ${n2(r.machine.servicesCores['redis-server'] ?? NaN)} cores (all their clients, not only this run's).`,
    '',
    ...diagnosis(r).map((l) => `- ${l}`),
    '',
    '## Raw baseline (same run)',
    '',
    baseline
      ? `Fastify hello-world, own process, ${n0(baseline.rate)} req/s open loop for ${n0(baseline.seconds)} s with WhatsApp-sized bodies (before the hub started): p50/p95/p99 ${lat(baseline.latencyMs)} ms, ${baseline.errors} errors, ${n2(baseline.serverCpuMsPerRequest)} ms CPU per request. Ratios (hub ÷ hello-world): all acks p50 ${ratio(r.allAckMs.p50, baseline.latencyMs.p50)}, p99 ${ratio(r.allAckMs.p99, baseline.latencyMs.p99)}; WhatsApp webhook p99 ${ratio(r.channels.whatsapp.ackMs.p99, baseline.latencyMs.p99)}; webhook → agent socket p99 ${ratio(r.allE2eMs.p99, baseline.latencyMs.p99)}.`
      : 'The baseline failed (see errors).',
    '',
    '## What is simulated, and how',
    '',
    '- Hub as deployed: API process (HTTP, webhooks, socket.io) and worker process (ingest, router, outbound), both `bench/src/bench-hub-process.ts` children on this run\'s own schema and Redis prefix (dropped at the end); PostgreSQL and Redis are the machine\'s running servers.',
    '- WhatsApp: Cloud API `messages` webhooks signed with the app secret (`X-Hub-Signature-256`); replies to a Graph API double. SMS: Twilio incoming-message webhooks signed as Twilio signs them (`X-Twilio-Signature`); replies to a Twilio Messages double. Web chat: the widget\'s pre-chat form, REST posts and /widget socket, as the widget does.',
    '- E-mail: **no IMAP server**. Each mail is built as RFC 5322 bytes, parsed with the connector\'s `parseEmail` and enqueued as the inbound job the IMAP reader enqueues (`handle-fetched-email.usecase.ts`), skipping the IMAP fetch and the storage of the .eml file. Answers go out over SMTP to a sink (counted, not timed per message). The channel\'s IMAP host points at a closed port, so the worker logs reconnect attempts.',
    '- Voice: Twilio Voice webhooks (incoming call → IVR TwiML, a menu key when asked, the final status callback) signed as Twilio does (test harness `SimulatedCall`); agents have voice capacity 0 — there is no media in a benchmark, so calls exercise the voice bridge\'s webhooks, not an agent leg.',
    '- Every simulated visitor posts from 127.0.0.1, so the run raises the widget\'s per-IP limits (`WIDGET_SESSIONS_PER_IP_PER_MINUTE`, `WIDGET_MESSAGES_PER_IP_PER_MINUTE` = 100,000); the per-visitor limits keep their defaults.',
    '- The load generator, the agents and the provider double share one Node process (its CPU is in the table): on a 2-core machine they compete with the hub for the same cores.',
    '',
  ].join('\n');
}
