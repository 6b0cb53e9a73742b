import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@ventanilla/hub';
import type { LatencySummary } from '../ingest/stats.js';
import { connectAndSample, usageProbes, type ConnectPhase, type MemoryDelta } from '../sockets/connect-and-sample.js';
import { IpcChild } from '../sockets/ipc.js';
import type { FleetStatus, MemorySample, SocketServerApi } from '../sockets/protocol.js';
import { closeFleets, startFleets, type SocketRunInput } from '../sockets/socket-run.js';
import { usageDelta, usageSnapshot, type PhaseCpu, type UsageProbe } from '../sockets/usage.js';
import { echoRoundTrips, type EchoPhase } from './echo-round-trips.js';
import { HubRoundTrips, type PrechatResult, type RoundTripPhase } from './hub-round-trips.js';
import { BENCH_ORIGIN, prepareWidget, type WidgetFixtures } from './widget-fixtures.js';
import type { FleetConnectRequest, VisitorEntry, WidgetFleetApi } from './widget-protocol.js';

/**
 * The widget benchmark (issue 5 "Benchmark"): N web chat visitors each holding one /widget
 * socket to one hub process (HUB_ROLE=api) — memory per socket after full collections — then
 * message round trips between new visitors and an agent through that hub and a worker
 * (HUB_ROLE=worker), all with the N sockets still held. Then the same N sockets on a raw
 * socket.io server (same version and ping settings, a small auth middleware, no database, no
 * adapter), and raw emit round trips on it as the latency baseline.
 */
export interface WidgetSettings {
  /** Visitors holding a /widget socket in the memory phase. */
  visitors: number;
  /** Client child processes sharing those sockets. */
  clientProcesses: number;
  /** Handshakes in flight at once per client process. */
  connectConcurrency: number;
  /** Sockets connected and closed before the "before" memory sample (JIT, pools, buffers). */
  warmupSockets: number;
  /** Quiet pause after connecting, before the memory sample. */
  settleMs: number;
  /** Round trips per mode (one at a time, then `concurrency` at a time), each with a new visitor. */
  sample: number;
  concurrency: number;
  /** Round trips run first and not counted (JIT, connection pools, prepared plans). */
  warmupRoundTrips: number;
  timeoutMs: number;
}

export interface HeldSockets {
  server: 'hub' | 'raw';
  pid: number;
  startMs: number;
  memory: { before: MemorySample; after: MemorySample; perSocket: MemoryDelta };
  connect: ConnectPhase;
  /** CPU while holding the sockets with nothing happening (pings only). */
  idle: PhaseCpu;
  fleets: FleetStatus[];
}

export type TimedRoundTripPhase = RoundTripPhase & { cpu: PhaseCpu };

export interface WidgetResult {
  settings: WidgetSettings;
  fixtures: { visitors: number; seedMs: number; tokensMs: number };
  fdLimit: { soft: number; hard: number };
  hub: HeldSockets;
  raw: HeldSockets;
  prechat: PrechatResult;
  roundTrips: TimedRoundTripPhase[];
  echo: EchoPhase[];
  logFile: string;
}

export interface RunWidgetInput extends SocketRunInput {
  settings: WidgetSettings;
}

const SERVER_ENTRY = fileURLToPath(new URL('./widget-server-process.ts', import.meta.url));
const FLEET_ENTRY = fileURLToPath(new URL('./widget-fleet-process.ts', import.meta.url));

type Fleet = IpcChild<WidgetFleetApi>;
type WidgetServer = IpcChild<SocketServerApi>;

export async function runWidget(input: RunWidgetInput): Promise<WidgetResult> {
  const { settings, log } = input;
  const logFile = join(tmpdir(), `ventanilla-widget-${input.config.REDIS_PREFIX}.log`);
  log(`schema ${input.config.DATABASE_SCHEMA}, ${settings.visitors} visitors; child logs ${logFile}`);
  const fixtures = await prepareWidget(input.config, settings.visitors);
  log(`${settings.visitors} pre-chat sessions seeded in ${(fixtures.seedMs / 1000).toFixed(1)} s, tokens signed in ${(fixtures.tokensMs / 1000).toFixed(1)} s`);

  const fleets = await startFleets<WidgetFleetApi>(settings.clientProcesses, FLEET_ENTRY, logFile, input.children);
  const share = (f: number): VisitorEntry[] => fixtures.visitors.filter((_, i) => i % settings.clientProcesses === f);
  const held = { ...input, fixtures, fleets, share, logFile };

  // The hub: rate limits per IP raised (every bench client is 127.0.0.1); everything else as configured.
  const hubEnv = { ...input.env, WIDGET_ROLE: 'hub', WIDGET_SESSIONS_PER_IP_PER_MINUTE: '100000', WIDGET_MESSAGES_PER_IP_PER_MINUTE: '100000' };
  const worker = await startServer(held, 'worker', { ...hubEnv, HUB_ROLE: 'worker' }, []);
  let hub: HeldSockets;
  let prechat: PrechatResult;
  let roundTrips: TimedRoundTripPhase[];
  try {
    const t0 = performance.now();
    const api = await startServer(held, 'hub', { ...hubEnv, HUB_ROLE: 'api', PORT: '0' }, ['--expose-gc']);
    try {
      hub = await holdSockets(held, 'hub', api, performance.now() - t0);
      ({ prechat, roundTrips } = await hubRoundTrips(held, api, worker));
    } finally {
      await closeFleets(fleets);
      await api.stop();
    }
  } finally {
    await worker.stop();
  }

  const t1 = performance.now();
  const rawServer = await startServer(held, 'raw', { ...input.env, WIDGET_ROLE: 'raw' }, ['--expose-gc']);
  let raw: HeldSockets;
  const echo: EchoPhase[] = [];
  try {
    raw = await holdSockets(held, 'raw', rawServer, performance.now() - t1);
    const base = { url: rawServer.url ?? '', origin: BENCH_ORIGIN, visitors: fixtures.visitors, count: settings.sample, warmup: settings.warmupRoundTrips, timeoutMs: settings.timeoutMs };
    for (const [name, concurrency] of phaseModes(settings)) {
      const phase = await echoRoundTrips({ ...base, name, concurrency });
      echo.push(phase);
      log(`raw echo ${name}: ${phase.completed}/${phase.attempted}, p50/p95/p99 ${lat(phase.roundTripMs)} ms`);
    }
  } finally {
    await closeFleets(fleets);
    await rawServer.stop();
  }

  return {
    settings,
    fixtures: { visitors: fixtures.visitors.length, seedMs: fixtures.seedMs, tokensMs: fixtures.tokensMs },
    fdLimit: input.fdLimit,
    hub,
    raw,
    prechat,
    roundTrips,
    echo,
    logFile,
  };
}

type Held = RunWidgetInput & { fixtures: WidgetFixtures; fleets: Fleet[]; share(f: number): VisitorEntry[]; logFile: string };

function phaseModes(settings: WidgetSettings): [string, number][] {
  return [
    ['sequential', 1],
    [`concurrency ${settings.concurrency}`, settings.concurrency],
  ];
}

async function startServer(held: Held, name: string, env: Record<string, string>, nodeFlags: string[]): Promise<WidgetServer> {
  const server = await IpcChild.start<SocketServerApi>({ name, entry: SERVER_ENTRY, env, logFile: held.logFile, nodeFlags });
  held.children.push(server);
  held.log(`${name}: pid ${server.pid}${server.url ? ` at ${server.url}` : ''}`);
  return server;
}

/** The memory phase (connectAndSample) with every visitor's socket on `server`. */
async function holdSockets(held: Held, name: 'hub' | 'raw', server: WidgetServer, startMs: number): Promise<HeldSockets> {
  const { settings, fleets, log } = held;
  const url = server.url ?? '';
  const request = (entries: VisitorEntry[]): FleetConnectRequest => ({ url, origin: BENCH_ORIGIN, entries, concurrency: settings.connectConcurrency, attempts: 3 });
  const { before, after, perSocket, connect, idle } = await connectAndSample({
    server,
    fleets,
    probes: usageProbes(server, fleets),
    warmup: request(held.share(0).slice(0, settings.warmupSockets)),
    request: (f) => request(held.share(f)),
    attempted: settings.visitors,
    settleMs: settings.settleMs,
    onConnected: (c) => log(`${name}: ${c.connected} of ${settings.visitors} widget sockets in ${(c.durationMs / 1000).toFixed(1)} s (${Math.round(c.perSecond)}/s, ${c.failed} failed)`),
  });
  log(`${name}: per socket RSS ${Math.round(perSocket.rss)} B, heap ${Math.round(perSocket.heapUsed)} B (${after.sockets} sockets, ${after.rooms} rooms)`);
  const fleetStatus = await Promise.all(fleets.map((f) => f.call('status', undefined)));
  return { server: name, pid: server.pid, startMs, memory: { before, after, perSocket }, connect, idle, fleets: fleetStatus };
}

/** New visitors through the pre-chat form, then round trips one at a time and `concurrency` at a time. */
async function hubRoundTrips(held: Held, api: WidgetServer, worker: WidgetServer): Promise<{ prechat: PrechatResult; roundTrips: TimedRoundTripPhase[] }> {
  const { settings, log } = held;
  const probes: UsageProbe[] = [
    { name: 'hub-api', usage: () => api.call('usage', undefined) },
    { name: 'hub-worker', usage: () => worker.call('usage', undefined) },
    ...held.fleets.map((f) => ({ name: f.name, usage: () => f.call('usage', undefined) })),
  ];
  const db = await openDatabase(held.config);
  const trips = await HubRoundTrips.open({ url: api.url ?? '', channelId: held.fixtures.channelId, origin: BENCH_ORIGIN, agent: held.fixtures.agent, db: db.kysely, timeoutMs: settings.timeoutMs });
  try {
    const wanted = settings.warmupRoundTrips + 2 * settings.sample;
    const { visitors, result: prechat } = await trips.createVisitors(wanted, settings.concurrency);
    log(`pre-chat: ${prechat.created} of ${wanted} visitors through POST /sessions, p50/p95/p99 ${lat(prechat.prechatMs)} ms`);
    if (visitors.length < wanted) throw new Error(`pre-chat: only ${visitors.length} of ${wanted} visitors (${JSON.stringify(prechat.errors)})`);
    const warm = await trips.run('warm-up', visitors.slice(0, settings.warmupRoundTrips), 1);
    if (warm.completed < warm.attempted) throw new Error(`warm-up round trips failed: ${JSON.stringify(warm.errors)}`);
    const roundTrips: TimedRoundTripPhase[] = [];
    let offset = settings.warmupRoundTrips;
    for (const [name, concurrency] of phaseModes(settings)) {
      await sleep(500);
      const u0 = await usageSnapshot(probes);
      const phase = await trips.run(name, visitors.slice(offset, offset + settings.sample), concurrency);
      const cpu = usageDelta(u0, await usageSnapshot(probes), cpus().length);
      offset += settings.sample;
      roundTrips.push({ ...phase, cpu });
      log(`hub ${name}: ${phase.completed}/${phase.attempted}; ack ${lat(phase.ackMs)}, stored ${lat(phase.storedMs)}, reply delivered ${lat(phase.deliveredMs)} ms (p50/p95/p99)`);
    }
    return { prechat, roundTrips };
  } finally {
    trips.close();
    await db.close();
  }
}

const lat = (l: LatencySummary): string => `${l.p50.toFixed(1)}/${l.p95.toFixed(1)}/${l.p99.toFixed(1)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
