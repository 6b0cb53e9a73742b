import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Config } from '@ventanilla/hub';
import { RealtimePublisher } from '../../../hub/src/realtime/realtime-publisher.js';
import { createRedis } from '../../../hub/src/runtime/redis.js';
import { summarize, type LatencySummary } from '../ingest/stats.js';
import { connectAndSample, usageProbes, type ConnectPhase, type MemoryDelta } from './connect-and-sample.js';
import { IpcChild } from './ipc.js';
import type { ClientApi, ClientEntry, ConnectRequest, FleetStatus, MemorySample, PushPlan, SendStats, ServerApi } from './protocol.js';
import { offerPayload, runPushLoop } from './push-loop.js';
import { closeFleets, startFleets, type SocketRunInput } from './socket-run.js';
import { prepareStaff, type StaffAgent, type StaffFixtures } from './staff-fixtures.js';
import type { Tweak } from './tweaks.js';
import { usageDelta, usageSnapshot, type PhaseCpu, type UsageProbe } from './usage.js';

/**
 * The socket benchmark (issue 4, SPEC §8): N staff sockets held by one socket server process,
 * memory per socket and targeted push rate. The servers run one after the other against the same
 * client fleets: the hub (HUB_ROLE=api: JWT handshake, principal from PostgreSQL, Redis adapter;
 * pushed to through RealtimePublisher → Redis emitter → adapter → socket, from this process), then
 * the raw baseline (bare socket.io, no auth, no adapter; pushed to by `to(room).emit` in its own
 * process). Both: same socket.io version, same ping settings, same rooms, same payload.
 */

export type ServerRole = 'hub' | 'raw';

export interface ServerSpec {
  name: string;
  role: ServerRole;
  tweaks: Tweak[];
  /** Push phases: all (warm-up, rising rates, overload), overload only (after the warm-up), or none. */
  push: 'all' | 'overload' | 'none';
}

export interface SocketsSettings {
  sockets: number;
  campaigns: number;
  /** Client fleets (child processes) sharing the sockets. */
  clientProcesses: number;
  /** Handshakes in flight at once per fleet. */
  connectConcurrency: number;
  /** Sockets connected and closed before the "before" memory sample (JIT, pools, buffers). */
  warmupSockets: number;
  /** Push phases: events per second, increasing. */
  rates: number[];
  phaseSeconds: number;
  /** Warm-up push phase (not counted) at the first rate, in events. */
  warmupPushes: number;
  /** Stop raising the rate after the first phase that does not keep up. */
  stopAfterFailure: boolean;
  /** A last phase well above capacity (0 = none), phaseSeconds long: what the server does when it cannot keep up. */
  overloadRate: number;
  /** Quiet pause after connecting, before the memory sample (its CPU use is the idle cost of the sockets). */
  settleMs: number;
  servers: ServerSpec[];
}

/** A phase "keeps up" when it loses nothing and delivers at ≥ 95 % of the offered rate with p99 (from due) ≤ this. */
export const KEEP_UP_P99_MS = 250;
export const KEEP_UP_RATE_SHARE = 0.95;

export type PhaseKind = 'warmup' | 'rate' | 'overload';

export interface PushPhaseResult {
  phase: string;
  kind: PhaseKind;
  rate: number;
  count: number;
  sent: number;
  delivered: number;
  lost: number;
  duplicates: number;
  misdelivered: number;
  strays: number;
  /** Sent ÷ (last sent − first due). */
  sendRate: number;
  /** Delivered ÷ (last receipt − first due): what the clients actually got per second. */
  deliveredRate: number;
  maxSendLagMs: number;
  /** Receipt − due time (open loop: includes the sender's own backlog). */
  fromDueMs: LatencySummary;
  /** Receipt − hand-off to the emitter. */
  fromSentMs: LatencySummary;
  /** Last receipt − last send. */
  drainMs: number;
  /** Times Redis (or the network) closed the hub's adapter subscriber during the phase (raw: 0). */
  subscriberCloses: number;
  waitOutcome: 'complete' | 'idle' | 'deadline';
  keptUp: boolean;
  cpu: PhaseCpu;
  /**
   * CPU time per delivered push (µs) above the idle cost of holding the sockets (pings): the
   * server process alone, and the delivery path (server + bench process + redis-server).
   */
  serverCpuUsPerPush: number;
  pathCpuUsPerPush: number;
}

export interface ServerResult {
  spec: ServerSpec;
  pid: number;
  url: string;
  startMs: number;
  memory: {
    before: MemorySample;
    after: MemorySample;
    afterPush: MemorySample | null;
    /** (after − before) ÷ sockets connected, bytes. */
    perSocket: MemoryDelta;
  };
  /** CPU while holding the sockets with nothing pushed (the settle pause): ping/pong every pingInterval. */
  idle: PhaseCpu;
  connect: ConnectPhase;
  push: PushPhaseResult[];
  /** Highest rate whose phase kept up (0 if none). */
  sustainedRate: number;
  /** The best delivered rate of any phase (rising rates or overload) that lost nothing. */
  bestDeliveredRate: number;
  fleets: FleetStatus[];
}

export interface SocketsResult {
  settings: SocketsSettings;
  fixtures: { agents: number; campaigns: number; memberships: number; seedMs: number; tokensMs: number };
  fdLimit: { soft: number; hard: number };
  servers: ServerResult[];
  /** JSON size of one push's payload. */
  payloadBytes: number;
  logFile: string;
}

export interface RunSocketsInput extends SocketRunInput {
  settings: SocketsSettings;
}

const SERVER_ENTRY = fileURLToPath(new URL('./server-process.ts', import.meta.url));
const CLIENT_ENTRY = fileURLToPath(new URL('./client-process.ts', import.meta.url));

type Fleet = IpcChild<ClientApi>;
type SocketServer = IpcChild<ServerApi>;

export async function runSockets(input: RunSocketsInput): Promise<SocketsResult> {
  const { settings, log } = input;
  const logFile = join(tmpdir(), `ventanilla-sockets-${input.config.REDIS_PREFIX}.log`);
  log(`schema ${input.config.DATABASE_SCHEMA}, ${settings.sockets} agents in ${settings.campaigns} campaigns; child logs ${logFile}`);
  const fixtures = await prepareStaff(input.config, settings.sockets, settings.campaigns);
  log(`staff seeded in ${(fixtures.seedMs / 1000).toFixed(1)} s (${fixtures.memberships} memberships), ${settings.sockets} tokens signed in ${(fixtures.tokensMs / 1000).toFixed(1)} s`);

  const fleets = await startFleets<ClientApi>(settings.clientProcesses, CLIENT_ENTRY, logFile, input.children);
  const share = (f: number): StaffAgent[] => fixtures.agents.filter((_, i) => i % settings.clientProcesses === f);

  const servers: ServerResult[] = [];
  for (const spec of settings.servers) {
    servers.push(await runServer({ ...input, spec, fixtures, fleets, share, logFile }));
  }
  return {
    settings,
    fixtures: { agents: fixtures.agents.length, campaigns: fixtures.campaignIds.length, memberships: fixtures.memberships, seedMs: fixtures.seedMs, tokensMs: fixtures.tokensMs },
    fdLimit: input.fdLimit,
    servers,
    payloadBytes: samplePayloadBytes(fixtures),
    logFile,
  };
}

function samplePayloadBytes(fixtures: StaffFixtures): number {
  const agents = fixtures.agents.slice(0, 1).map((a) => ({ userId: a.userId, campaignId: a.campaignIds[0] ?? '' }));
  const at = Date.now();
  return Buffer.byteLength(JSON.stringify({ ...offerPayload({ phase: 'hub-1', rate: 1, count: 1, agents }, 123_456, at + 0.123, at + 0.456), eventId: '123456' }));
}

function entryFor(role: ServerRole, agent: StaffAgent): ClientEntry {
  // The raw server has no auth: the client says its rooms. It still carries the token, so the
  // handshake (kept for the socket's life in socket.handshake) is the same size as the hub's.
  return role === 'hub' ? { userId: agent.userId, auth: { token: agent.token } } : { userId: agent.userId, auth: { token: agent.token, userId: agent.userId, campaignIds: agent.campaignIds } };
}

async function runServer(
  input: RunSocketsInput & { spec: ServerSpec; fixtures: StaffFixtures; fleets: Fleet[]; share(f: number): StaffAgent[]; logFile: string },
): Promise<ServerResult> {
  const { settings, spec, fleets, log } = input;
  const t0 = performance.now();
  const server: SocketServer = await IpcChild.start<ServerApi>({
    name: spec.name,
    entry: SERVER_ENTRY,
    env: { ...input.env, HUB_ROLE: 'api', PORT: '0', SOCKETS_ROLE: spec.role, SOCKETS_TWEAKS: spec.tweaks.join(',') },
    logFile: input.logFile,
    nodeFlags: ['--expose-gc'],
  });
  input.children.push(server);
  const startMs = performance.now() - t0;
  const url = server.url ?? '';
  log(`${spec.name}: pid ${server.pid} at ${url}${spec.tweaks.length ? ` (tweaks: ${spec.tweaks.join(', ')})` : ''}`);
  const probes = usageProbes(server, fleets);
  const cores = cpus().length;
  try {
    const request = (entries: StaffAgent[]): ConnectRequest => ({ url, entries: entries.map((a) => entryFor(spec.role, a)), concurrency: settings.connectConcurrency, attempts: 3 });
    const { before, after, perSocket, connect, idle } = await connectAndSample({
      server,
      fleets,
      probes,
      warmup: request(input.share(0).slice(0, settings.warmupSockets)),
      request: (f) => request(input.share(f)),
      attempted: settings.sockets,
      settleMs: settings.settleMs,
      onConnected: (c) =>
        log(`${spec.name}: ${c.connected} of ${settings.sockets} sockets connected in ${(c.durationMs / 1000).toFixed(1)} s (${Math.round(c.perSecond)}/s, ${c.failed} failed, ${c.retries} retries)`),
    });
    log(
      `${spec.name}: RSS ${mb(before.rss)} → ${mb(after.rss)} MB, heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB; per socket RSS ${Math.round(perSocket.rss)} B, heap ${Math.round(perSocket.heapUsed)} B (${after.sockets} sockets, ${after.rooms} rooms on the server)`,
    );

    const push: PushPhaseResult[] = [];
    let afterPush: MemorySample | null = null;
    if (spec.push !== 'none') {
      const agents = input.fixtures.agents.map((a) => ({ userId: a.userId, campaignId: a.campaignIds[0] ?? '' }));
      const publisher = spec.role === 'hub' ? openPublisher(input.config) : null;
      try {
        const send = (plan: PushPlan): Promise<SendStats> =>
          publisher
            ? runPushLoop(plan, (seq, room, payload) => publisher.publisher.publish({ id: String(seq), notification: { event: 'conversation.offered', rooms: [room], data: payload } }))
            : server.call('push', plan, 120_000 + (plan.count / plan.rate) * 2000);
        const phases: { rate: number; count: number; kind: PhaseKind }[] = [];
        const firstRate = settings.rates[0];
        if (firstRate !== undefined && settings.warmupPushes > 0) phases.push({ rate: firstRate, count: settings.warmupPushes, kind: 'warmup' });
        if (spec.push === 'all') for (const rate of settings.rates) phases.push({ rate, count: Math.round(rate * settings.phaseSeconds), kind: 'rate' });
        let stopped = false;
        for (const [i, p] of phases.entries()) {
          if (stopped) break;
          const result = await pushPhase({ phase: `${spec.name}-${i}`, ...p, agents, fleets, probes, send, cores, idle, server });
          push.push(result);
          log(`${spec.name}: ${describePhase(result)}`);
          if (p.kind === 'rate' && !result.keptUp && settings.stopAfterFailure) stopped = true;
        }
        if (settings.overloadRate > 0) {
          const count = Math.round(settings.overloadRate * settings.phaseSeconds);
          const result = await pushPhase({ phase: `${spec.name}-overload`, rate: settings.overloadRate, count, kind: 'overload', agents, fleets, probes, send, cores, idle, server });
          push.push(result);
          log(`${spec.name}: ${describePhase(result)}`);
        }
      } finally {
        publisher?.close();
      }
      afterPush = await server.call('memory', undefined);
    }
    const fleetStatus = await Promise.all(fleets.map((f) => f.call('status', undefined)));
    const counted = push.filter((p) => p.kind === 'rate');
    return {
      spec,
      pid: server.pid,
      url,
      startMs,
      memory: { before, after, afterPush, perSocket },
      idle,
      connect,
      push,
      sustainedRate: Math.max(0, ...counted.filter((p) => p.keptUp).map((p) => p.rate)),
      bestDeliveredRate: Math.max(0, ...push.filter((p) => p.kind !== 'warmup' && p.lost === 0 && p.duplicates === 0 && p.misdelivered === 0).map((p) => p.deliveredRate)),
      fleets: fleetStatus,
    };
  } finally {
    await closeFleets(fleets);
    await server.stop();
  }
}

function openPublisher(config: Config): { publisher: RealtimePublisher; close(): void } {
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', () => undefined);
  return { publisher: new RealtimePublisher(redis, config.REDIS_PREFIX), close: () => redis.disconnect() };
}

function describePhase(r: PushPhaseResult): string {
  const verdict = r.kind === 'rate' ? (r.keptUp ? ' — keeps up' : ' — does not keep up') : '';
  return `${r.kind === 'rate' ? '' : `${r.kind} `}${r.rate}/s × ${r.count}: delivered ${r.delivered} (${r.lost} lost, ${r.duplicates} dup, ${r.misdelivered} misdelivered) at ${Math.round(r.deliveredRate)}/s; p50/p99 ${r.fromDueMs.p50.toFixed(1)}/${r.fromDueMs.p99.toFixed(1)} ms; server ${(r.cpu.cores['server'] ?? NaN).toFixed(2)} cores, ${r.serverCpuUsPerPush.toFixed(1)} µs/push${verdict}`;
}

async function pushPhase(input: {
  phase: string;
  rate: number;
  count: number;
  kind: PhaseKind;
  agents: PushPlan['agents'];
  fleets: Fleet[];
  probes: UsageProbe[];
  cores: number;
  idle: PhaseCpu;
  server: SocketServer;
  send(plan: PushPlan): Promise<SendStats>;
}): Promise<PushPhaseResult> {
  const { phase, rate, count, fleets } = input;
  await Promise.all(fleets.map((f) => f.call('track', { phase, count })));
  const sub0 = await input.server.call('subscriber', undefined);
  const u0 = await usageSnapshot(input.probes);
  const sent = await input.send({ phase, rate, count, agents: input.agents });
  // Wait for every delivery, or until nothing arrives for 3 s, or 15 s after the last send.
  const deadline = performance.now() + 15_000;
  let waitOutcome: PushPhaseResult['waitOutcome'] = 'complete';
  let lastReceived = -1;
  let lastProgress = performance.now();
  for (;;) {
    const progress = await Promise.all(fleets.map((f) => f.call('progress', { phase })));
    const received = progress.reduce((n, p) => n + p.received, 0);
    if (received >= count) break;
    const now = performance.now();
    if (received !== lastReceived) {
      lastReceived = received;
      lastProgress = now;
    }
    if (now >= deadline) {
      waitOutcome = 'deadline';
      break;
    }
    if (now - lastProgress >= 3_000) {
      waitOutcome = 'idle';
      break;
    }
    await sleep(50);
  }
  const u1 = await usageSnapshot(input.probes);
  const sub1 = await input.server.call('subscriber', undefined);
  const parts = await Promise.all(fleets.map((f) => f.call('deliveries', { phase }, 60_000)));
  const delivered = parts.reduce((n, p) => n + p.received, 0);
  const lastAt = Math.max(...parts.map((p) => (Number.isFinite(p.lastAt) ? p.lastAt : -Infinity)));
  const fromDueMs = summarize(concat(parts.map((p) => p.fromDueMs)));
  const fromSentMs = summarize(concat(parts.map((p) => p.fromSentMs)));
  const duplicates = parts.reduce((n, p) => n + p.duplicates, 0);
  const misdelivered = parts.reduce((n, p) => n + p.misdelivered, 0);
  const deliveredRate = delivered > 0 ? (delivered * 1000) / (lastAt - sent.firstDueAt) : 0;
  const lost = count - delivered;
  const cpu = usageDelta(u0, u1, input.cores);
  const cpuUs = (names: string[]) =>
    (names.reduce((sum, name) => sum + Math.max(0, (cpu.cores[name] ?? 0) - (input.idle.cores[name] ?? 0)), 0) * cpu.machine.wallSeconds * 1e6) / Math.max(1, delivered);
  return {
    phase,
    kind: input.kind,
    rate,
    count,
    sent: sent.sent,
    delivered,
    lost,
    duplicates,
    misdelivered,
    strays: Math.max(0, ...parts.map((p) => p.strays)),
    sendRate: (sent.sent * 1000) / Math.max(1, sent.lastSentAt - sent.firstDueAt),
    deliveredRate,
    maxSendLagMs: sent.maxLagMs,
    fromDueMs,
    fromSentMs,
    drainMs: lastAt - sent.lastSentAt,
    subscriberCloses: sub1.closes - sub0.closes,
    waitOutcome,
    keptUp: lost === 0 && duplicates === 0 && misdelivered === 0 && deliveredRate >= KEEP_UP_RATE_SHARE * rate && fromDueMs.p99 <= KEEP_UP_P99_MS,
    cpu,
    serverCpuUsPerPush: cpuUs(['server']),
    pathCpuUsPerPush: cpuUs(['server', 'bench', 'redis-server']),
  };
}

function concat(arrays: Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

const mb = (bytes: number): string => (bytes / 1048576).toFixed(1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
