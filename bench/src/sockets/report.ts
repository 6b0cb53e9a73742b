import { fileURLToPath } from 'node:url';
import { writeReportFile, type BenchReport } from '../bench-report.js';
import type { LatencySummary } from '../ingest/stats.js';
import { kib, mib, n0, n1, n2, n3, ratio } from '../report-format.js';
import { KEEP_UP_P99_MS, KEEP_UP_RATE_SHARE, type PushPhaseResult, type ServerResult, type SocketsResult } from './run-sockets.js';

/** The Markdown report of `npm run bench:sockets` (bench/reports/sockets-latest.md) and its console summary. */
export type SocketsReport = BenchReport<SocketsResult | null>;

/** SPEC §8: 10,000 sockets on one hub process at ≤ 25 KB each (read as KiB). */
export const TARGET_SOCKETS = 10_000;
export const TARGET_BYTES_PER_SOCKET = 25 * 1024;

const REPORT = fileURLToPath(new URL('../../reports/sockets-latest.md', import.meta.url));

const lat = (l: LatencySummary): string => `${n1(l.p50)} / ${n1(l.p95)} / ${n1(l.p99)} / ${n1(l.max)}`;

function find(r: SocketsResult, name: string): ServerResult | undefined {
  return r.servers.find((s) => s.spec.name === name);
}

/** The phase of `server` at `rate` (not the warm-up). */
function phaseAt(server: ServerResult | undefined, rate: number): PushPhaseResult | undefined {
  return server?.push.find((p) => p.kind === 'rate' && p.rate === rate);
}

export function memoryMet(hub: ServerResult): boolean {
  return hub.connect.connected >= TARGET_SOCKETS && hub.connect.failed === 0 && hub.memory.perSocket.rss <= TARGET_BYTES_PER_SOCKET;
}

/** MET / NOT MET, or why it cannot be judged (a run with fewer sockets than the target). */
export function verdict(hub: ServerResult): string {
  if (hub.connect.attempted < TARGET_SOCKETS) return `not judged (${n0(hub.connect.attempted)} sockets, the target is ${n0(TARGET_SOCKETS)})`;
  return memoryMet(hub) ? 'MET' : 'NOT MET';
}

function summarySection(res: SocketsResult): string[] {
  const hub = find(res, 'hub');
  const raw = find(res, 'raw');
  const rows: [string, (s: ServerResult) => number, (v: number) => string][] = [
    ['Sockets connected', (s) => s.connect.connected, n0],
    ['**RSS per socket**', (s) => s.memory.perSocket.rss, (v) => `**${n0(v)} B**`],
    ['V8 heap per socket', (s) => s.memory.perSocket.heapUsed, (v) => `${n0(v)} B`],
    ['Handshakes per second', (s) => s.connect.perSecond, n0],
    ['**Targeted pushes/s kept up** (no loss, p99 ≤ 250 ms)', (s) => (s.spec.push === 'all' ? s.sustainedRate : NaN), (v) => (Number.isFinite(v) ? `**${n0(v)}/s**` : '—')],
    ['Best delivered pushes/s without loss (any phase)', (s) => (s.spec.push === 'all' ? s.bestDeliveredRate : NaN), (v) => (Number.isFinite(v) ? `${n0(v)}/s` : '—')],
    [`Delivered/s when saturated (overload phase, ${n0(res.settings.overloadRate)}/s offered)`, (s) => (s.spec.push === 'all' ? (s.push.find((p) => p.kind === 'overload')?.deliveredRate ?? NaN) : NaN), (v) => (Number.isFinite(v) ? `${n0(v)}/s` : '—')],
    [`Lost in the overload phase`, (s) => s.push.find((p) => p.kind === 'overload')?.lost ?? NaN, n0],
    ['… times Redis dropped the adapter subscriber meanwhile', (s) => (s.spec.role === 'hub' ? (s.push.find((p) => p.kind === 'overload')?.subscriberCloses ?? NaN) : NaN), n0],
  ];
  const servers = res.servers;
  const lines = [`| Figure | ${servers.map((s) => s.spec.name).join(' | ')}${hub && raw ? ' | Hub ÷ raw' : ''} |`, `|---|${servers.map(() => '---|').join('')}${hub && raw ? '---|' : ''}`];
  for (const [label, get, fmt] of rows) {
    lines.push(`| ${label} | ${servers.map((s) => fmt(get(s))).join(' | ')}${hub && raw ? ` | ${ratio(get(hub), get(raw))} |` : ' |'}`);
  }
  const common = commonRate(res, servers.filter((s) => s.spec.push === 'all'));
  if (common !== undefined) {
    const cells = servers.map((s) => {
      const c = cpuPerPush(s, common);
      return Number.isFinite(c.server) ? `${n1(c.server)} / ${n1(c.path)} µs` : '—';
    });
    const x = cpuPerPush(hub, common);
    const y = cpuPerPush(raw, common);
    lines.push(`| CPU per push at ${n0(common)}/s, server / delivery path | ${cells.join(' | ')}${hub && raw ? ` | ${ratio(x.server, y.server)} / ${ratio(x.path, y.path)} |` : ' |'}`);
  }
  const low = res.settings.rates.find((rate) => phaseAt(hub, rate) && phaseAt(raw, rate) && rate >= 5_000) ?? res.settings.rates[0];
  if (low !== undefined) {
    const cells = servers.map((s) => {
      const p = phaseAt(s, low);
      return p ? `${n1(p.fromDueMs.p50)} / ${n1(p.fromDueMs.p99)} ms` : '—';
    });
    const x = phaseAt(hub, low);
    const y = phaseAt(raw, low);
    lines.push(`| Push latency p50 / p99 at ${n0(low)}/s | ${cells.join(' | ')}${hub && raw ? ` | ${x && y ? `${ratio(x.fromDueMs.p50, y.fromDueMs.p50)} / ${ratio(x.fromDueMs.p99, y.fromDueMs.p99)}` : '—'} |` : ' |'}`);
  }
  return [
    '## Summary',
    '',
    ...lines,
    '',
    hub ? `Target (SPEC §8) ${n0(TARGET_SOCKETS)} sockets on one hub process at ≤ 25 KB each: **${verdict(hub)}** (${n0(hub.memory.perSocket.rss)} B ≤ ${n0(TARGET_BYTES_PER_SOCKET)} B).` : '',
  ];
}

function setupSection(r: SocketsReport, res: SocketsResult): string[] {
  const m = r.machine;
  const s = res.settings;
  return [
    '## Setup',
    '',
    '| | |',
    '|---|---|',
    `| Machine | ${m.cpus} cores (nproc) — ${m.cpuModel}; Node ${m.node}; ${m.postgres}; load average at start ${m.loadAverageAtStart.join(' / ')}, at end ${m.loadAverageAtEnd.join(' / ')} (1 / 5 / 15 min; the machine is shared, absolute figures are noisy — compare the ratios) |`,
    `| Open files | \`ulimit -n\` ${n0(res.fdLimit.soft)} (hard ${n0(res.fdLimit.hard)})${res.fdLimit.soft < 25_000 ? ' — below ~25,000, and the hard limit forbids raising it: the clients are split over ' + s.clientProcesses + ' processes so no process holds more than ' + n0(Math.max(s.sockets, Math.ceil(s.sockets / s.clientProcesses))) + ' sockets (the server holds all of them, within its limit)' : ''}; children start as \`sh -c 'ulimit -n 65536 …; exec node …'\` (up to the hard limit) |`,
    `| Staff | ${n0(res.fixtures.agents)} agents in ${res.fixtures.campaigns} campaigns (${n0(res.fixtures.memberships)} memberships: every tenth agent in two), one live refresh-token family each and a signed access token; seeded set-based in ${n1(res.fixtures.seedMs / 1000)} s, tokens signed in ${n1(res.fixtures.tokensMs / 1000)} s |`,
    `| Clients | ${s.clientProcesses} child processes of socket.io-client 4.8.4, \`transports: ['websocket']\`, one connection per socket (\`forceNew\`), no reconnection; ${s.connectConcurrency} handshakes in flight per process, up to 3 attempts |`,
    `| Hub | one child process, \`HUB_ROLE=api\` (startHubProcess: Fastify + socket.io /staff: JWT in the handshake, principal and session loaded from PostgreSQL, rooms agent:<id> and campaign:<id>, @socket.io/redis-adapter); fresh schema and Redis prefix, dropped at the end |`,
    `| Raw baseline | one child process: \`new Server(http, { serveClient: false, cors: { origin: false }, pingInterval: 20000, pingTimeout: 20000 })\` — the hub's options without the adapter — no auth; each /staff socket joins the same rooms (told in the handshake); the clients send the same token |`,
    `| Memory | each server runs with \`--expose-gc\`; samples after full GCs: before (after ${s.warmupSockets} warm-up sockets connected and left) and after all sockets connected and ${n1(s.settleMs / 1000)} s of quiet. Per socket = (after − before) ÷ sockets connected |`,
    `| Push | open loop: event i is due at start + i ÷ rate and goes to the room agent:<id> of agent (i × 7919) mod ${n0(s.sockets)} — one socket. Payload: a \`conversation.offered\` as the router sends it plus the bench's stamps (phase, seq, due, sent): ${n0(res.payloadBytes)} B of JSON. Hub: \`RealtimePublisher.publish\` in the bench process → Redis PUBLISH → the hub's redis adapter → the socket. Raw: \`io.of('/staff').to(room).emit\` in the server process. ${s.phaseSeconds} s per rate, after a warm-up of ${n0(s.warmupPushes)} events. Latency = receipt in the client process − due time (epoch clock with sub-ms resolution, same machine) |`,
    `| "Keeps up" | nothing lost, duplicated or misdelivered, delivered ≥ ${KEEP_UP_RATE_SHARE * 100} % of the offered rate, p99 (from due) ≤ ${KEEP_UP_P99_MS} ms${s.stopAfterFailure ? '; the rate stops rising after the first phase that does not' : ''} |`,
  ];
}

function memorySection(res: SocketsResult): string[] {
  const lines = ['## 1. Memory per socket', '', '| Server | Sockets | RSS before → after | **RSS per socket** | V8 heap before → after | **Heap per socket** | External + ArrayBuffers per socket | Peak RSS (VmHWM) | RSS after pushes |', '|---|---|---|---|---|---|---|---|---|'];
  for (const s of res.servers) {
    const m = s.memory;
    lines.push(
      `| ${s.spec.name} | ${n0(m.after.sockets)} of ${n0(s.connect.attempted)} (${n0(m.after.rooms)} rooms) | ${mib(m.before.rss)} → ${mib(m.after.rss)} | **${n0(m.perSocket.rss)} B (${kib(m.perSocket.rss)})** | ${mib(m.before.heapUsed)} → ${mib(m.after.heapUsed)} | **${n0(m.perSocket.heapUsed)} B** | ${n0(m.perSocket.external)} B + ${n0(m.perSocket.arrayBuffers)} B | ${mib(m.after.vmHwmKb * 1024)} | ${m.afterPush ? mib(m.afterPush.rss) : '—'} |`,
    );
  }
  const hub = find(res, 'hub');
  const raw = find(res, 'raw');
  if (hub && raw) {
    lines.push(
      `| **Ratio hub ÷ raw** | | | **${ratio(hub.memory.perSocket.rss, raw.memory.perSocket.rss)}** | | **${ratio(hub.memory.perSocket.heapUsed, raw.memory.perSocket.heapUsed)}** | | | |`,
    );
  }
  if (hub) {
    lines.push(
      '',
      `Target (SPEC §8): ${n0(TARGET_SOCKETS)} sockets on one hub process at ≤ 25 KB each (${n0(TARGET_BYTES_PER_SOCKET)} B): ${n0(hub.connect.connected)} connected, ${n0(hub.memory.perSocket.rss)} B RSS per socket — **${verdict(hub)}**.`,
    );
  }
  return lines;
}

function connectSection(res: SocketsResult): string[] {
  const lines = ['## 2. Connecting', '', '| Server | Connected | Failed / retries | Wall time | **Handshakes/s** | Per socket p50 / p95 / p99 / max ms | CPU (cores) |', '|---|---|---|---|---|---|---|'];
  for (const s of res.servers) {
    const c = s.connect;
    const errors = Object.entries(c.errorKinds)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
    lines.push(`| ${s.spec.name} | ${n0(c.connected)} of ${n0(c.attempted)} | ${n0(c.failed)} / ${n0(c.retries)}${errors ? ` (${errors})` : ''} | ${n1(c.durationMs / 1000)} s | **${n0(c.perSecond)}** | ${lat(c.connectMs)} | ${cores(c.cpu.cores)} |`);
  }
  const hub = find(res, 'hub');
  const raw = find(res, 'raw');
  if (hub && raw) lines.push(`| **Ratio hub ÷ raw** | | | | **${ratio(hub.connect.perSecond, raw.connect.perSecond)}** | p50 ${ratio(hub.connect.connectMs.p50, raw.connect.connectMs.p50)} | |`);
  lines.push(
    '',
    `Holding the sockets with nothing pushed (the ${n1(res.settings.settleMs / 1000)} s after connecting; a ping per socket every 20 s, ${n0(res.settings.sockets / 20)}/s): ${res.servers.map((s) => `${s.spec.name} server ${n3(s.idle.cores['server'] ?? NaN)} cores`).join(', ')}. This idle use is subtracted from the CPU per push below.`,
  );
  return lines;
}

function cores(c: Record<string, number>): string {
  return Object.entries(c)
    .filter(([, v]) => Number.isFinite(v))
    .map(([k, v]) => `${k} ${n2(v)}`)
    .join(', ');
}

function pushRow(s: ServerResult, p: PushPhaseResult): string {
  const label = p.kind === 'warmup' ? 'warm-up ' : p.kind === 'overload' ? 'overload ' : '';
  const drops = p.subscriberCloses > 0 ? `${p.kind === 'rate' ? '; ' : ''}Redis dropped the adapter subscriber ×${p.subscriberCloses}` : '';
  const verdict = (p.kind === 'rate' ? (p.keptUp ? 'keeps up' : '**does not keep up**') : '') + drops;
  return `| ${s.spec.name} | ${label}${n0(p.rate)}/s | ${n0(p.count)} | ${n0(p.delivered)} / ${p.lost > 0 ? `**${n0(p.lost)}**` : '0'} / ${n0(p.duplicates)} / ${n0(p.misdelivered)} | **${n0(p.deliveredRate)}** | **${lat(p.fromDueMs)}** | ${n1(p.fromSentMs.p50)} / ${n1(p.fromSentMs.p99)} | ${n1(p.maxSendLagMs)} ms | ${n1(p.serverCpuUsPerPush)} / ${n1(p.pathCpuUsPerPush)} | ${cores(p.cpu.cores)} | ${cores(p.cpu.eventLoop)} | ${verdict} |`;
}

const PUSH_HEADER = [
  '| Server | Offered rate | Events | Delivered / lost / dup / misdelivered | **Delivered/s** | **Latency from due p50 / p95 / p99 / max ms** | From hand-off p50 / p99 ms | Sender lag max | CPU µs per push: server / path | CPU (cores) | Event loop | |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
];

/** The highest offered rate at which every given server delivered everything: where CPU per push is compared. */
export function commonRate(res: SocketsResult, servers: (ServerResult | undefined)[]): number | undefined {
  const ok = (s: ServerResult | undefined, rate: number) => {
    const p = phaseAt(s, rate);
    return p !== undefined && p.lost === 0 && p.duplicates === 0 && p.misdelivered === 0;
  };
  return [...res.settings.rates].reverse().find((rate) => servers.every((s) => ok(s, rate)));
}

/** Marginal CPU per push of `s` at `rate` (NaN without such a phase). */
function cpuPerPush(s: ServerResult | undefined, rate: number | undefined): { server: number; path: number } {
  const p = rate === undefined ? undefined : phaseAt(s, rate);
  return { server: p?.serverCpuUsPerPush ?? NaN, path: p?.pathCpuUsPerPush ?? NaN };
}

function pushSection(res: SocketsResult): string[] {
  const lines = ['## 3. Targeted push', '', ...PUSH_HEADER];
  for (const s of res.servers) for (const p of s.push.filter((x) => x.kind !== 'overload')) lines.push(pushRow(s, p));
  const hub = find(res, 'hub');
  const raw = find(res, 'raw');
  if (hub && raw) {
    lines.push('', '| | Hub | Raw | Hub ÷ raw |', '|---|---|---|---|');
    lines.push(`| Highest rate kept up | ${n0(hub.sustainedRate)}/s | ${n0(raw.sustainedRate)}/s | ${ratio(hub.sustainedRate, raw.sustainedRate)} |`);
    lines.push(`| Best delivered rate without loss | ${n0(hub.bestDeliveredRate)}/s | ${n0(raw.bestDeliveredRate)}/s | ${ratio(hub.bestDeliveredRate, raw.bestDeliveredRate)} |`);
    for (const rate of res.settings.rates) {
      const x = phaseAt(hub, rate);
      const y = phaseAt(raw, rate);
      if (!x || !y) continue;
      lines.push(`| At ${n0(rate)}/s: latency p50 / p99 | ${n1(x.fromDueMs.p50)} / ${n1(x.fromDueMs.p99)} ms | ${n1(y.fromDueMs.p50)} / ${n1(y.fromDueMs.p99)} ms | ${ratio(x.fromDueMs.p50, y.fromDueMs.p50)} / ${ratio(x.fromDueMs.p99, y.fromDueMs.p99)} |`);
      lines.push(`| At ${n0(rate)}/s: CPU per push, server / delivery path | ${n1(x.serverCpuUsPerPush)} / ${n1(x.pathCpuUsPerPush)} µs | ${n1(y.serverCpuUsPerPush)} / ${n1(y.pathCpuUsPerPush)} µs | ${ratio(x.serverCpuUsPerPush, y.serverCpuUsPerPush)} / ${ratio(x.pathCpuUsPerPush, y.pathCpuUsPerPush)} |`);
    }
  }
  lines.push(
    '',
    disconnections(res),
    '',
    'Sender: for the hub, the bench process (RealtimePublisher, as the worker\'s outbox relay does); for the raw server, the server process itself, so its "server" CPU includes the sending. CPU per push is marginal: CPU over the phase minus the idle use measured while holding the sockets with nothing pushed (section 2), per delivered push; the delivery path adds the bench process and redis-server (machine-wide: other Redis users count). The two client processes share the machine\'s two cores with the server, so the highest rates measure the machine more than the server, and one stall of a shared core can push a phase\'s p99 over the line: compare CPU per push and read the rows around a failed phase.',
  );
  return lines;
}

function disconnections(res: SocketsResult): string {
  const drops = res.servers.filter((s) => s.fleets.some((f) => f.disconnects > 0));
  return drops.length === 0
    ? 'No client socket was disconnected during any phase, overload included (a lost event is not a dropped socket).'
    : `Client disconnections: ${drops.map((s) => `${s.spec.name}: ${s.fleets.map((f) => `${f.disconnects} ${JSON.stringify(f.reasons)}`).join(', ')}`).join('; ')}.`;
}

function overloadSection(res: SocketsResult): string[] {
  const rows = res.servers.flatMap((s) => s.push.filter((p) => p.kind === 'overload').map((p) => pushRow(s, p)));
  if (rows.length === 0) return [];
  return [
    `## 4. Overload: ${n0(res.settings.overloadRate)} pushes/s for ${res.settings.phaseSeconds} s`,
    '',
    'Above what either server can deliver on this machine, on purpose: what happens to the events the server cannot keep up with?',
    '',
    ...PUSH_HEADER,
    ...rows,
  ];
}

const overRate = (s: ServerResult): number => s.push.find((p) => p.kind === 'overload')?.deliveredRate ?? NaN;

function findingsSection(res: SocketsResult): string[] {
  const hub = find(res, 'hub');
  const raw = find(res, 'raw');
  if (!hub) return [];
  const out: string[] = ['## 5. Findings', ''];
  const m = hub.memory.perSocket;
  out.push(
    `1. **Memory: target ${verdict(hub)}.** ${n0(hub.connect.connected)} sockets cost the hub ${n0(m.rss)} B of RSS each (${n0(m.heapUsed)} B of V8 heap)${raw ? `, ${ratio(m.rss, raw.memory.perSocket.rss)} the raw socket.io server's ${n0(raw.memory.perSocket.rss)} B (heap ${ratio(m.heapUsed, raw.memory.perSocket.heapUsed)}: the hub's own share is ${n0(m.heapUsed - raw.memory.perSocket.heapUsed)} B of heap per socket — socket.data with its roles and campaign ids, the two conversation.watch/unwatch listeners)` : ''}; the target is ${n0(TARGET_BYTES_PER_SOCKET)} B. The rest is socket.io's own per-connection state (engine.io socket, ws WebSocket with its receiver and sender, net.Socket and its TCP wrap, the upgrade request, the handshake with headers and token, ping timers, room sets), which the raw server pays too. The heap figure is the steadier one between runs; RSS moves by ± 1 KB per socket with what the allocator keeps.`,
  );
  if (raw) {
    const rate = commonRate(res, [hub, raw]);
    const a = cpuPerPush(hub, rate);
    const b = cpuPerPush(raw, rate);
    out.push(
      `2. **Push: ${rate === undefined ? 'no common loss-free rate to compare CPU at' : `at ${n0(rate)}/s the hub's delivery path costs ${ratio(a.path, b.path)} the CPU of a direct emit per targeted push (${n1(a.path)} µs vs ${n1(b.path)} µs; the hub process alone ${n1(a.server)} µs vs ${n1(b.server)} µs, where the raw figure includes its own sending)`}.** The extra is the Redis hop: a PUBLISH per event from the publisher, Redis handing it to the adapter's pattern subscription, and the adapter decoding it (msgpack) before the same local emit. Latency at moderate rates is a few milliseconds for both (section 3); highest rate kept up: hub ${n0(hub.sustainedRate)}/s, raw ${n0(raw.sustainedRate)}/s; most delivered per second without loss: hub ${n0(hub.bestDeliveredRate)}/s, raw ${n0(raw.bestDeliveredRate)}/s (${ratio(hub.bestDeliveredRate, raw.bestDeliveredRate)}); delivered per second when saturated (overload phase): hub ${n0(overRate(hub))}/s, raw ${n0(overRate(raw))}/s (${ratio(overRate(hub), overRate(raw))}) — the steadiest of the rate figures between runs, on a 2-core machine shared with the ${res.settings.clientProcesses} client processes (and other users).`,
    );
    out.push(
      `3. **Handshakes: hub ${n0(hub.connect.perSecond)}/s vs raw ${n0(raw.connect.perSecond)}/s (${ratio(hub.connect.perSecond, raw.connect.perSecond)})**: every hub handshake verifies the JWT and loads the principal and its session from PostgreSQL (one query: user, memberships, live refresh-token family), so a reconnect of all ${n0(hub.connect.connected)} sockets after a restart takes ${n1(hub.connect.durationMs / 1000)} s here.`,
    );
  }
  const over = hub.push.find((p) => p.kind === 'overload');
  const rawOver = raw?.push.find((p) => p.kind === 'overload');
  if (over) {
    out.push(
      over.lost > 0
        ? `4. **Overload loses events silently in the hub, not in the raw server.** At ${n0(over.rate)}/s the hub lost ${n0(over.lost)} of ${n0(over.count)} pushes${rawOver ? ` (raw: ${n0(rawOver.lost)} lost, it only fell behind)` : ''} with no socket disconnected; ${over.subscriberCloses > 0 ? `its adapter's Redis subscriber connection was closed ${n0(over.subscriberCloses)} time(s) meanwhile` : 'its adapter subscriber was not seen closing, so the cause here is another one'}. Redis buffers what a pub/sub subscriber has not read yet and closes the subscriber once that buffer passes \`client-output-buffer-limit pubsub\` (32 MB hard, or 8 MB for 60 s, by default): the adapter's \`sub\` connection is dropped, ioredis reconnects and resubscribes, and everything published in between is gone — while the outbox rows are already marked published. Nothing is logged (ioredis reports no error for a server-side close). The same happens at a lower rate sustained longer (8 MB behind for 60 s).`
        : `4. **Overload:** at ${n0(over.rate)}/s the hub lost nothing${rawOver ? ` (raw lost ${n0(rawOver.lost)})` : ''}; it fell behind by ${n1(over.fromDueMs.max / 1000)} s at worst.`,
    );
  }
  const fixed = res.servers.find((s) => s.spec.tweaks.includes('resync-on-resubscribe'));
  const fixedOver = fixed?.push.find((p) => p.kind === 'overload');
  if (fixed && fixedOver) {
    const told = fixed.fleets.reduce((n, f) => n + (f.reasons['io server disconnect'] ?? 0), 0);
    out.push(
      `5. **The suggested fix, applied at run time (${fixed.spec.name}, bench/src/sockets/tweaks.ts):** same overload, ${n0(fixedOver.lost)} of ${n0(fixedOver.count)} lost; ${
        told > 0
          ? `the hub noticed its subscriber come back and disconnected its ${n0(told)} staff sockets ('io server disconnect'), which the inbox answers by reconnecting and refetching (inbox-ui connectStaffSocket reconnects; the workspace resyncs on a reconnect). The loss becomes visible and repaired instead of silent. (The bench's clients do not reconnect, so what was pushed after that counts as lost here.)`
          : 'no subscriber reconnection happened in this run, so nothing was disconnected.'
      }`,
    );
  }
  out.push(
    '',
    '### Suggested changes (hub/src/realtime/realtime.server.ts, not applied by this benchmark)',
    '',
    '- Memory: none needed for the target. Options such as `perMessageDeflate` are already at their cheap defaults (off); dropping the kept upgrade request (`io.engine.on(\'connection\', (raw) => { raw.request = null })`) measured no heap saving (the handshake keeps the headers anyway).',
    '- Loss on a dropped adapter subscriber: in `attachRealtime`, after creating `sub`, resync the local sockets whenever it comes back, and log it:',
    '',
    '  ```ts',
    '  let subscribed = false;',
    "  sub.on('ready', () => {",
    '    if (subscribed) {',
    "      ctx.logger.warn({ sockets: io.of(STAFF_NAMESPACE).sockets.size }, 'socket.io redis subscriber reconnected: events published meanwhile were lost, resyncing staff sockets');",
    '      io.of(STAFF_NAMESPACE).local.disconnectSockets(false);',
    '    }',
    '    subscribed = true;',
    '  });',
    "  sub.on('end', () => ctx.logger.warn('socket.io redis subscriber connection ended'));",
    '  ```',
    '',
    '  and give Redis room for bursts in deployment (docker-compose `redis-server … --client-output-buffer-limit pubsub 256mb 64mb 60`), so a short burst delays instead of dropping.',
  );
  return out;
}

export function renderReport(r: SocketsReport): string {
  const lines: string[] = [
    '# Staff sockets: memory per socket and targeted push (issue 4)',
    '',
    `Run ${r.startedAt}, ${n0(r.durationSeconds)} s. Command: \`${r.command}\`. Code: \`bench/src/sockets.bench.ts\`, \`bench/src/sockets/\`.`,
    '',
  ];
  const res = r.result;
  if (res) {
    lines.push(...summarySection(res), '', ...setupSection(r, res), '', ...memorySection(res), '', ...connectSection(res), '', ...pushSection(res), '', ...overloadSection(res), '', ...findingsSection(res), '');
  }
  if (r.errors.length > 0) lines.push('## Errors', '', ...r.errors.map((e) => `    ${e.split('\n').join('\n    ')}`), '');
  return `${lines.join('\n')}\n`;
}

export function writeReport(r: SocketsReport): string {
  return writeReportFile(REPORT, renderReport(r));
}

export function summaryLines(r: SocketsReport): string[] {
  const res = r.result;
  if (!res) return [`sockets benchmark failed: ${r.errors.join('; ')}`];
  const out: string[] = [];
  for (const s of res.servers) {
    out.push(
      `${s.spec.name.padEnd(24)} ${n0(s.connect.connected)} sockets, ${n0(s.memory.perSocket.rss)} B RSS / ${n0(s.memory.perSocket.heapUsed)} B heap per socket; ${n0(s.connect.perSecond)} handshakes/s; push kept up to ${n0(s.sustainedRate)}/s, best ${n0(s.bestDeliveredRate)}/s`,
    );
  }
  const hub = find(res, 'hub');
  const raw = find(res, 'raw');
  if (hub && raw) {
    out.push(`hub ÷ raw: RSS per socket ${ratio(hub.memory.perSocket.rss, raw.memory.perSocket.rss)}, heap per socket ${ratio(hub.memory.perSocket.heapUsed, raw.memory.perSocket.heapUsed)}, push rate kept up ${ratio(hub.sustainedRate, raw.sustainedRate)}`);
  }
  if (hub) out.push(`target ${n0(TARGET_SOCKETS)} sockets ≤ ${n0(TARGET_BYTES_PER_SOCKET)} B each: ${verdict(hub)}`);
  return out;
}
