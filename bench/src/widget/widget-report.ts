import { fileURLToPath } from 'node:url';
import { writeReportFile, type BenchReport } from '../bench-report.js';
import type { LatencySummary } from '../ingest/stats.js';
import { kib, mib, n0, n1, n2, ratio as times } from '../report-format.js';
import type { PhaseCpu } from '../sockets/usage.js';
import type { EchoPhase } from './echo-round-trips.js';
import type { HeldSockets, TimedRoundTripPhase, WidgetResult } from './run-widget.js';

/** The Markdown report of `npm run bench:widget` (bench/reports/widget-latest.md) and its console summary. */
export type WidgetReport = BenchReport<WidgetResult | null>;

const REPORT = fileURLToPath(new URL('../../reports/widget-latest.md', import.meta.url));
const QUICK_REPORT = fileURLToPath(new URL('../../reports/widget-latest-quick.md', import.meta.url));

const pcts = (l: LatencySummary): string => `${n1(l.p50)} / ${n1(l.p95)} / ${n1(l.p99)}`;
const cores = (cpu: PhaseCpu): string =>
  Object.entries(cpu.cores)
    .map(([name, v]) => `${name} ${n2(v)}`)
    .join(', ');

/** A run whose figures cannot be trusted: failed handshakes or round trips, or sockets dropped while held. */
export function brokenRun(r: WidgetResult): boolean {
  const held = [r.hub, r.raw];
  return (
    held.some((h) => h.connect.failed > 0 || h.fleets.some((f) => f.disconnects > 0)) ||
    r.prechat.failed > 0 ||
    r.roundTrips.some((p) => p.completed < p.attempted) ||
    r.echo.some((p) => p.completed < p.attempted)
  );
}

/** The raw echo phase run at the same concurrency as a hub round-trip phase. */
function echoFor(r: WidgetResult, phase: TimedRoundTripPhase): EchoPhase | undefined {
  return r.echo.find((e) => e.concurrency === phase.concurrency);
}

export function summaryLines(report: WidgetReport): string[] {
  const r = report.result;
  if (!r) return ['widget bench: no result', ...report.errors];
  const lines = [
    `web chat widget, ${n0(r.settings.visitors)} visitors, ${r.settings.sample} round trips per mode:`,
    `  memory per /widget socket   hub RSS ${n0(r.hub.memory.perSocket.rss)} B, heap ${n0(r.hub.memory.perSocket.heapUsed)} B | raw RSS ${n0(r.raw.memory.perSocket.rss)} B, heap ${n0(r.raw.memory.perSocket.heapUsed)} B | hub ÷ raw ${times(r.hub.memory.perSocket.rss, r.raw.memory.perSocket.rss)} RSS, ${times(r.hub.memory.perSocket.heapUsed, r.raw.memory.perSocket.heapUsed)} heap`,
    `  handshakes/s                hub ${n0(r.hub.connect.perSecond)} | raw ${n0(r.raw.connect.perSecond)}`,
    `  pre-chat form → 201         p50/p95/p99 ${pcts(r.prechat.prechatMs)} ms`,
  ];
  for (const p of r.roundTrips) {
    const e = echoFor(r, p);
    lines.push(
      `  ${p.name} (${p.completed}/${p.attempted}), p50/p95/p99 ms:`,
      `    (a) visitor POST → 202             ${pcts(p.ackMs)}`,
      `    (b) visitor POST → agent's socket  ${pcts(p.storedMs)}`,
      `    (c) agent POST → visitor's socket  ${pcts(p.deliveredMs)}`,
      `    raw socket.io emit round trip      ${e ? pcts(e.roundTripMs) : '—'}   (b ÷ raw p50 ${e ? times(p.storedMs.p50, e.roundTripMs.p50) : '—'}, c ÷ raw p50 ${e ? times(p.deliveredMs.p50, e.roundTripMs.p50) : '—'})`,
    );
  }
  if (brokenRun(r)) lines.push('  BROKEN RUN: failed handshakes, round trips or dropped sockets (see the report)');
  return lines;
}

function summarySection(r: WidgetResult): string[] {
  const h = r.hub;
  const w = r.raw;
  const lines = [
    '## Summary',
    '',
    '| Figure | Hub | Raw socket.io | Hub ÷ raw |',
    '|---|---|---|---|',
    `| Visitor sockets held | ${n0(h.connect.connected)} | ${n0(w.connect.connected)} | |`,
    `| **RSS per visitor socket** | **${n0(h.memory.perSocket.rss)} B** (${kib(h.memory.perSocket.rss)}) | **${n0(w.memory.perSocket.rss)} B** (${kib(w.memory.perSocket.rss)}) | **${times(h.memory.perSocket.rss, w.memory.perSocket.rss)}** |`,
    `| V8 heap per visitor socket | ${n0(h.memory.perSocket.heapUsed)} B | ${n0(w.memory.perSocket.heapUsed)} B | ${times(h.memory.perSocket.heapUsed, w.memory.perSocket.heapUsed)} |`,
    `| Handshakes per second | ${n0(h.connect.perSecond)} | ${n0(w.connect.perSecond)} | ${times(h.connect.perSecond, w.connect.perSecond)} |`,
  ];
  for (const p of r.roundTrips) {
    const e = echoFor(r, p);
    const raw = e?.roundTripMs;
    const ratio = (l: LatencySummary) => (raw ? `${times(l.p50, raw.p50)} / ${times(l.p95, raw.p95)} / ${times(l.p99, raw.p99)}` : '—');
    lines.push(
      `| ${p.name}: (a) visitor POST → 202, p50 / p95 / p99 | ${pcts(p.ackMs)} ms | ${raw ? `${pcts(raw)} ms (emit round trip)` : '—'} | ${ratio(p.ackMs)} |`,
      `| ${p.name}: **(b) visitor POST → on the agent's /staff socket** | **${pcts(p.storedMs)} ms** | same | ${ratio(p.storedMs)} |`,
      `| ${p.name}: **(c) agent POST → on the visitor's /widget socket** | **${pcts(p.deliveredMs)} ms** | same | ${ratio(p.deliveredMs)} |`,
    );
  }
  return [...lines, ''];
}

function setupSection(report: WidgetReport, r: WidgetResult): string[] {
  const m = report.machine;
  const s = r.settings;
  return [
    '## Setup',
    '',
    '| | |',
    '|---|---|',
    `| Machine | ${m.cpus} cores (nproc) — ${m.cpuModel}; Node ${m.node}; ${m.postgres}; Redis on 127.0.0.1; load average at start ${m.loadAverageAtStart.join(' / ')}, at end ${m.loadAverageAtEnd.join(' / ')} (1 / 5 / 15 min; a shared machine, absolute figures are noisy — compare the ratios) |`,
    `| Settings | ${n0(s.visitors)} visitors; ${s.clientProcesses} client process(es), ${s.connectConcurrency} handshakes in flight each; ${s.warmupSockets} warm-up sockets; ${n1(s.settleMs / 1000)} s settle; ${s.sample} round trips per mode (sequential, then ${s.concurrency} in flight), after ${s.warmupRoundTrips} warm-up round trips; ${n1(s.timeoutMs / 1000)} s timeout per step. \`ulimit -n\` ${n0(r.fdLimit.soft)} (hard ${n0(r.fdLimit.hard)}) |`,
    `| Visitors (memory) | ${n0(r.fixtures.visitors)} pre-chat sessions of one web chat channel (CAPTCHA \`none\`, one allowed origin): \`webchat_sessions\` rows inserted set-based and visitor tokens signed with the hub's own \`signVisitorToken\` (${n1(r.fixtures.seedMs / 1000)} s + ${n1(r.fixtures.tokensMs / 1000)} s) — **not** through \`POST /widget/v1/channels/:id/sessions\`, which would only add ${n0(r.fixtures.visitors)} form posts to the setup (that route is timed in section 2 instead) |`,
    `| Clients | socket.io-client 4.8.4 in child processes, \`io('/widget', { auth: { token }, extraHeaders: { origin }, transports: ['websocket'], forceNew: true })\`, one connection per visitor, no reconnection, idle once connected |`,
    `| Hub | \`HUB_ROLE=api\` (startHubProcess: Fastify + socket.io, the /widget namespace's middleware verifies the token, loads the channel and the visitor's session row, checks the Origin; on connection joins \`visitor:<id>\` and looks up the visitor's latest conversation; @socket.io/redis-adapter) and \`HUB_ROLE=worker\` (ingest, router, outbound, outbox relay) child processes; fresh schema and Redis prefix, dropped at the end. Only change from the defaults: \`WIDGET_SESSIONS_PER_IP_PER_MINUTE\` and \`WIDGET_MESSAGES_PER_IP_PER_MINUTE\` = 100,000 (every bench client is 127.0.0.1) |`,
    `| Raw baseline | one child process: \`new Server(http, { serveClient: false, cors: { origin: false }, pingInterval: 20000, pingTimeout: 20000 })\` (the hub's options without the adapter); the /widget namespace has a small auth middleware — the same \`verifyVisitorToken\` and Origin check, in memory, no database — and each socket joins \`visitor:<id>\`; it emits \`bench.echo\` straight back |`,
    `| Memory | both servers run with \`--expose-gc\`; samples after full GCs: before (after ${s.warmupSockets} warm-up sockets connected and left) and after all sockets connected and ${n1(s.settleMs / 1000)} s of quiet. Per socket = (after − before) ÷ sockets connected |`,
    `| Round trip | per sample a **new** visitor (pre-chat form over HTTP, its /widget socket open in the bench process) and one agent's /staff socket (campaign room). t0 → \`POST /widget/v1/messages\` → 202 = (a); the message's \`message.created\` on the agent's socket = (b) (enqueued → worker ingest, a new conversation → commit → outbox published → Redis → api → socket). The conversation is then assigned to the agent in SQL (no agent is available to the router, which so stays out of the way; not timed). t1 → \`POST /api/v1/conversations/:id/messages\` as the agent → its \`message.created\` on the visitor's socket = (c) (stored pending → outbound job → worker → webchat adapter → \`toVisitor\` through Redis → api → socket). All ${n0(r.settings.visitors)} idle visitor sockets stay connected meanwhile. Clock: \`performance.now()\` of the bench process, which does both ends |`,
    `| Latency baseline | the raw server above, with its ${n0(r.settings.visitors)} sockets held: the client emits a message the size of the widget's \`message.created\` and the server emits it back; ${s.sample} round trips per mode, same concurrency, one socket per lane |`,
    '',
  ];
}

function memoryRow(h: HeldSockets): string {
  const b = h.memory.before;
  const a = h.memory.after;
  const p = h.memory.perSocket;
  return `| ${h.server} | ${n0(a.sockets)} of ${n0(h.connect.attempted)} (${n0(a.rooms)} rooms) | ${mib(b.rss)} → ${mib(a.rss)} | **${n0(p.rss)} B (${kib(p.rss)})** | ${mib(b.heapUsed)} → ${mib(a.heapUsed)} | **${n0(p.heapUsed)} B** | ${n0(p.external)} B + ${n0(p.arrayBuffers)} B | ${mib(a.vmHwmKb * 1024)} |`;
}

function connectRow(h: HeldSockets): string {
  const c = h.connect;
  return `| ${h.server} | ${n0(c.connected)} of ${n0(c.attempted)} | ${c.failed} / ${c.retries} | ${n1(c.durationMs / 1000)} s | **${n0(c.perSecond)}** | ${pcts(c.connectMs)} / ${n1(c.connectMs.max)} | ${cores(c.cpu)} |`;
}

function memorySection(r: WidgetResult): string[] {
  return [
    '## 1. Memory per visitor socket',
    '',
    '| Server | Sockets | RSS before → after | **RSS per socket** | V8 heap before → after | **Heap per socket** | External + ArrayBuffers per socket | Peak RSS (VmHWM) |',
    '|---|---|---|---|---|---|---|---|',
    memoryRow(r.hub),
    memoryRow(r.raw),
    `| **Ratio hub ÷ raw** | | | **${times(r.hub.memory.perSocket.rss, r.raw.memory.perSocket.rss)}** | | **${times(r.hub.memory.perSocket.heapUsed, r.raw.memory.perSocket.heapUsed)}** | | |`,
    '',
    '| Server | Connected | Failed / retries | Wall time | **Handshakes/s** | Per socket p50 / p95 / p99 / max ms | CPU while connecting (cores) |',
    '|---|---|---|---|---|---|---|',
    connectRow(r.hub),
    connectRow(r.raw),
    '',
    `Holding the sockets idle (${n1(r.settings.settleMs / 1000)} s, a ping per socket every 20 s): hub ${n2(r.hub.idle.cores['server'] ?? NaN)} cores, raw ${n2(r.raw.idle.cores['server'] ?? NaN)} cores. Client disconnections while held: hub ${r.hub.fleets.reduce((n, f) => n + f.disconnects, 0)}, raw ${r.raw.fleets.reduce((n, f) => n + f.disconnects, 0)}.`,
    '',
  ];
}

function latencyRow(label: string, l: LatencySummary, raw: LatencySummary | undefined): string {
  return `| ${label} | ${n0(l.count)} | ${n1(l.p50)} | ${n1(l.p95)} | ${n1(l.p99)} | ${n1(l.max)} | ${raw ? `${times(l.p50, raw.p50)} / ${times(l.p95, raw.p95)} / ${times(l.p99, raw.p99)}` : '—'} |`;
}

function roundTripSection(report: WidgetReport, r: WidgetResult): string[] {
  const lines = [
    '## 2. Message round trip',
    '',
    `Pre-chat form (\`POST /widget/v1/channels/:id/sessions\` → 201, ${r.prechat.created} visitors, ${r.settings.concurrency} in flight): p50 / p95 / p99 ${pcts(r.prechat.prechatMs)} ms; their /widget handshake ${pcts(r.prechat.connectMs)} ms.`,
    '',
  ];
  for (const p of r.roundTrips) {
    const e = echoFor(r, p);
    const raw = e?.roundTripMs;
    lines.push(
      `### ${p.name === 'sequential' ? 'One at a time' : `${p.concurrency} in flight`} (${p.completed} of ${p.attempted} completed${Object.keys(p.errors).length ? `; errors ${JSON.stringify(p.errors)}` : ''}; ${n1(p.wallMs / 1000)} s, ${n1((p.completed * 1000) / p.wallMs)} round trips/s)`,
      '',
      '| Leg | Samples | p50 ms | p95 ms | p99 ms | max ms | ÷ raw emit round trip p50 / p95 / p99 |',
      '|---|---|---|---|---|---|---|',
      latencyRow('(a) visitor `POST /widget/v1/messages` → 202', p.ackMs, raw),
      latencyRow("**(b) visitor POST → `message.created` on the agent's /staff socket**", p.storedMs, raw),
      latencyRow('agent `POST /api/v1/conversations/:id/messages` → 202', p.replyAckMs, raw),
      latencyRow("**(c) agent POST → `message.created` on the visitor's /widget socket**", p.deliveredMs, raw),
      latencyRow('(b) + (c): question on screen and answer back, without the agent', p.totalMs, raw),
      raw ? `| Raw socket.io emit round trip (baseline, ${e.completed} of ${e.attempted}) | ${n0(raw.count)} | ${n1(raw.p50)} | ${n1(raw.p95)} | ${n1(raw.p99)} | ${n1(raw.max)} | 1.00× |` : '| Raw baseline | — | | | | | |',
      '',
      `CPU over the phase (cores): ${cores(p.cpu)}; the whole machine ${n2(p.cpu.machine.machineBusyCores)} of ${report.machine.cpus} cores busy (other users included).`,
      '',
    );
  }
  return lines;
}

/** A warning when the machine was saturated over a phase (the machine is shared: other users' work competes for it). */
function contention(report: WidgetReport, phase: TimedRoundTripPhase): string {
  const busy = phase.cpu.machine.machineBusy;
  if (!(busy > 0.9)) return '';
  const ours = Object.values(phase.cpu.cores).reduce((a, b) => a + b, 0);
  return ` Over this phase the machine was ${n2(phase.cpu.machine.machineBusyCores)} of ${report.machine.cpus} cores busy while the bench's processes with PostgreSQL and Redis used ${n2(ours)}: other users' work competed for the cores and lengthened these figures, the tails most — compare the ratios and rerun on a quiet machine for absolute numbers.`;
}

function interpretation(report: WidgetReport, r: WidgetResult): string[] {
  const h = r.hub.memory.perSocket;
  const w = r.raw.memory.perSocket;
  const seq = r.roundTrips[0];
  const conc = r.roundTrips[1];
  const seqRaw = seq ? echoFor(r, seq)?.roundTripMs : undefined;
  const lines = [
    '## 3. Reading it',
    '',
    `- **Memory.** A visitor holding the widget open costs the hub ${n0(h.rss)} B of RSS (${n0(h.heapUsed)} B of V8 heap), ${times(h.rss, w.rss)} what the raw socket.io server with a token check pays (${n0(w.rss)} B; heap ${times(h.heapUsed, w.heapUsed)}). Most of it is socket.io's own per-connection state — engine.io and ws sockets, the kept handshake with its headers and token, ping timers, room sets — which the baseline pays too; the hub adds \`socket.data\` (visitor, channel, campaign, conversation), three event listeners with their closures and a typing throttle per socket, and its Redis adapter's room bookkeeping. At this rate ${n0(r.settings.visitors)} open widgets take ${mib(h.rss * r.settings.visitors)} of one hub process; 10,000 would take ${mib(h.rss * 10_000)}. Heap is the steadier figure between runs; RSS moves with what the allocator keeps.`,
    `- **Handshakes.** ${n0(r.hub.connect.perSecond)}/s against ${n0(r.raw.connect.perSecond)}/s raw (${times(r.hub.connect.perSecond, r.raw.connect.perSecond)}): each hub handshake also reads the channel (cached) and the visitor's session row, then looks up the visitor's latest conversation — two PostgreSQL round trips per socket, which is what a mass reconnect after a deploy costs.`,
  ];
  if (seq && seqRaw) {
    lines.push(
      `- **Round trip, one at a time.** The visitor's POST is acknowledged in ${n1(seq.ackMs.p50)} ms (p50): the token and channel, the session row (read, and its last-seen touch), two rate-limit counters in Redis, the visitor's open conversation or else the campaign's business hours, and the BullMQ enqueue — then the 202, before the message is written anywhere but the queue. The agent sees it (b) ${n1(seq.storedMs.p50)} ms after the POST started (p99 ${n1(seq.storedMs.p99)} ms) and the visitor sees the reply (c) ${n1(seq.deliveredMs.p50)} ms after the agent sent it (p99 ${n1(seq.deliveredMs.p99)} ms), against ${n1(seqRaw.p50)} ms for a bare socket.io emit round trip on the same machine (${times(seq.storedMs.p50, seqRaw.p50)} and ${times(seq.deliveredMs.p50, seqRaw.p50)} at p50). The ratio is the durable path, by design (CONVENTIONS 3, 5): both legs go through a queue, a worker, a PostgreSQL transaction with its outbox row and a Redis hop to the api process before the socket emit, so a crash anywhere loses nothing — where the raw echo never leaves one process's memory. Leg (b) also opens a conversation (contact, folio, domain events, routing intake) since each sample is a new visitor.${contention(report, seq)}`,
    );
  }
  if (conc) {
    const concRaw = echoFor(r, conc)?.roundTripMs;
    lines.push(
      `- **${conc.concurrency} in flight.** (b) p50 ${n1(conc.storedMs.p50)} ms / p99 ${n1(conc.storedMs.p99)} ms and (c) p50 ${n1(conc.deliveredMs.p50)} ms / p99 ${n1(conc.deliveredMs.p99)} ms${concRaw ? ` (raw emit round trip p50 ${n1(concRaw.p50)} ms)` : ''}, at ${n1((conc.completed * 1000) / conc.wallMs)} complete round trips per second. Every leg queues for the same ${report.machine.cpus} cores — the api, the worker, PostgreSQL, Redis, the client fleet and this process; the machine was ${n2(conc.cpu.machine.machineBusyCores)} of ${report.machine.cpus} cores busy over the phase, other users included — so this mode measures the machine as much as the hub${seq ? `; the sequential figures (${n1(seq.storedMs.p50)} / ${n1(seq.deliveredMs.p50)} ms at p50) are closer to the path's own cost` : ''}.`,
    );
    const worst = Math.max(...r.roundTrips.flatMap((p) => [p.storedMs.p99, p.deliveredMs.p99]));
    lines.push(
      Number.isFinite(worst) && worst < 500
        ? `- **For the citizen.** In both modes the question reaches the agent's screen, and the answer the citizen's window, in under ${n0(Math.ceil(worst / 50) * 50)} ms at p99: below the half second a person notices as lag in a chat.`
        : `- **For the citizen.** The worst p99 of a leg was ${n0(worst)} ms: above the half second a person notices as lag in a chat — see which leg and mode.`,
    );
  }
  lines.push('');
  return lines;
}

export function renderWidgetReport(report: WidgetReport): string {
  const r = report.result;
  const lines = [
    '# Web chat widget: memory per visitor and message round trip (issue 5)',
    '',
    `Run ${report.startedAt}, ${n0(report.durationSeconds)} s. Command: \`${report.command}\`. Code: \`bench/src/widget.bench.ts\`, \`bench/src/widget/\`.`,
    '',
  ];
  if (!r) return [...lines, '**No result.**', '', '```', ...report.errors, '```', ''].join('\n');
  if (brokenRun(r)) lines.push('**Broken run**: failed handshakes or round trips, or sockets dropped while held — see the tables.', '');
  lines.push(...summarySection(r), ...setupSection(report, r), ...memorySection(r), ...roundTripSection(report, r), ...interpretation(report, r));
  if (report.errors.length > 0) lines.push('## Errors', '', '```', ...report.errors, '```', '');
  return lines.join('\n');
}

/** Writes the report (a --quick run to its own file, so it never replaces the full run's figures). */
export function writeWidgetReport(report: WidgetReport, quick: boolean): string {
  return writeReportFile(quick ? QUICK_REPORT : REPORT, renderWidgetReport(report));
}
