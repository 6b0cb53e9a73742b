import { cpus } from 'node:os';
import { summarize, type LatencySummary } from '../ingest/stats.js';
import type { IpcChild } from './ipc.js';
import type { ConnectRequest, ConnectStats, FleetApi, MemorySample, SocketServerApi } from './protocol.js';
import { usageDelta, usageSnapshot, type PhaseCpu, type UsageProbe } from './usage.js';

export interface MemoryDelta {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Every fleet connecting its share of the sockets at once. */
export type ConnectPhase = Omit<ConnectStats, 'connectMs'> & {
  attempted: number;
  perSecond: number;
  connectMs: LatencySummary;
  cpu: PhaseCpu;
};

export interface HeldSample {
  before: MemorySample;
  after: MemorySample;
  /** (after − before) ÷ sockets connected, bytes. */
  perSocket: MemoryDelta;
  connect: ConnectPhase;
  /** CPU while holding the sockets with nothing happening (the settle pause): ping/pong only. */
  idle: PhaseCpu;
}

/** The server child and the fleets, as the usage snapshots name them ("server", "clients-1", …). */
export function usageProbes(server: IpcChild<SocketServerApi>, fleets: IpcChild<FleetApi<unknown>>[]): UsageProbe[] {
  return [{ name: 'server', usage: () => server.call('usage', undefined) }, ...fleets.map((f) => ({ name: f.name, usage: () => f.call('usage', undefined) }))];
}

/**
 * The memory measurement of a socket server: warm-up sockets connect and leave (so first-use
 * costs — JIT, pools, buffers — are in "before"), the "before" sample, every fleet connects its
 * share, a quiet pause, the "after" sample once the server counts them all.
 */
export async function connectAndSample<R extends ConnectRequest<unknown>>(input: {
  server: IpcChild<SocketServerApi>;
  fleets: IpcChild<FleetApi<R>>[];
  probes: UsageProbe[];
  /** The first fleet's warm-up sockets. */
  warmup: R;
  /** Fleet f's share of the sockets. */
  request(f: number): R;
  attempted: number;
  settleMs: number;
  /** Once connected, before the quiet pause (a progress line). */
  onConnected(connect: ConnectPhase): void;
}): Promise<HeldSample> {
  const { server, fleets, probes } = input;
  const cores = cpus().length;
  const first = fleets[0];
  if (first && input.warmup.entries.length > 0) {
    await first.call('connect', input.warmup, 120_000);
    await first.call('close', undefined);
    await sleep(500);
  }
  const before = await server.call('memory', undefined);

  const u0 = await usageSnapshot(probes);
  const stats = await Promise.all(fleets.map((fleet, f) => fleet.call('connect', input.request(f), Math.max(120_000, input.attempted * 30))));
  const u1 = await usageSnapshot(probes);
  const connected = stats.reduce((n, s) => n + s.connected, 0);
  const durationMs = Math.max(...stats.map((s) => s.durationMs));
  const connect: ConnectPhase = {
    attempted: input.attempted,
    connected,
    failed: stats.reduce((n, s) => n + s.failed, 0),
    retries: stats.reduce((n, s) => n + s.retries, 0),
    errorKinds: mergeCounts(stats.map((s) => s.errorKinds)),
    durationMs,
    perSecond: (connected * 1000) / durationMs,
    connectMs: summarize(stats.flatMap((s) => Array.from(s.connectMs))),
    cpu: usageDelta(u0, u1, cores),
  };
  input.onConnected(connect);

  const idle0 = await usageSnapshot(probes);
  await sleep(input.settleMs);
  const idle = usageDelta(idle0, await usageSnapshot(probes), cores);
  let after = await server.call('memory', undefined);
  for (let i = 0; i < 20 && after.sockets < connected; i++) {
    await sleep(250);
    after = await server.call('memory', undefined);
  }
  return { before, after, perSocket: perSocketDelta(before, after, connected), connect, idle };
}

function perSocketDelta(before: MemorySample, after: MemorySample, sockets: number): MemoryDelta {
  const n = Math.max(1, sockets);
  return {
    rss: (after.rss - before.rss) / n,
    heapUsed: (after.heapUsed - before.heapUsed) / n,
    external: (after.external - before.external) / n,
    arrayBuffers: (after.arrayBuffers - before.arrayBuffers) / n,
  };
}

function mergeCounts(counts: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
