import { performance } from 'node:perf_hooks';
import type { ConversationOfferedPayload } from '@ventanilla/hub';

/**
 * What the socket benchmarks' processes say to each other: the bench process (parent), one
 * socket server (the hub, or the raw socket.io baseline) and the client fleets. All of the staff
 * socket benchmark's messages; the widget benchmark (widget/widget-protocol.ts) reuses the shared
 * parts: SocketServerApi, FleetApi, ConnectRequest.
 */

/** Wall clock with sub-millisecond resolution, comparable between processes of one machine. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The targeted push: a conversation.offered as the router sends it, plus the bench's stamps. */
export interface BenchStamp {
  phase: string;
  seq: number;
  /** When the open-loop schedule wanted it sent (epoch ms, the sender's clock). */
  dueAt: number;
  /** When it was actually handed to the emitter. */
  sentAt: number;
}
export type BenchOfferPayload = ConversationOfferedPayload & { bench: BenchStamp };

export interface MemorySample {
  /** process.memoryUsage() after two full GCs (the server runs with --expose-gc). */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** /proc/self/status: resident now and peak resident. */
  vmRssKb: number;
  vmHwmKb: number;
  /** Sockets connected to /staff and rooms known to its adapter. */
  sockets: number;
  rooms: number;
}

export interface ProcessUsage {
  cpuUs: number;
  eluActiveMs: number;
  eluIdleMs: number;
}

/** A push phase: `count` events at `rate`/s, event i to the agent room of agents[(i × STRIDE) mod n]. */
export interface PushPlan {
  phase: string;
  rate: number;
  count: number;
  agents: { userId: string; campaignId: string }[];
}

export interface SendStats {
  sent: number;
  /** Epoch ms: first due, last handed to the emitter. */
  firstDueAt: number;
  lastSentAt: number;
  /** Worst lateness of the open-loop schedule (the sender's own backlog). */
  maxLagMs: number;
}

/** The hub's Redis adapter subscriber, observed (raw: all zero): closed by Redis or the network, and ready again. */
export interface SubscriberEvents {
  closes: number;
  reconnects: number;
}

/** What every socket server child answers (server-child.ts socketServerHandlers). */
export type SocketServerApi = {
  /** After full collections; `sockets` and `rooms` are those of the benchmark's namespace (0 without one). */
  memory: { request: undefined; reply: MemorySample };
  usage: { request: undefined; reply: ProcessUsage };
  stop: { request: undefined; reply: null };
};

export type ServerApi = SocketServerApi & {
  subscriber: { request: undefined; reply: SubscriberEvents };
  /** The raw baseline only: emit the plan with `to(room).emit` from the server process itself. */
  push: { request: PushPlan; reply: SendStats };
};

export interface ClientEntry {
  userId: string;
  /** socket.io handshake `auth` (the hub: `{ token }`; the raw baseline also says the rooms). */
  auth: Record<string, unknown>;
}

export interface ConnectRequest<E = ClientEntry> {
  url: string;
  entries: E[];
  /** Handshakes in flight at once. */
  concurrency: number;
  attempts: number;
}

export interface ConnectStats {
  connected: number;
  failed: number;
  retries: number;
  errorKinds: Record<string, number>;
  /** Per successful socket: io() → 'connect' (ms), including retries. */
  connectMs: Float64Array;
  durationMs: number;
}

export interface PhaseProgress {
  received: number;
  duplicates: number;
  misdelivered: number;
  lastAt: number;
}

export interface PhaseDeliveries extends PhaseProgress {
  /** Seq numbers this fleet received (first delivery) and, per seq, receipt − due and receipt − sent (ms). */
  seqs: Int32Array;
  fromDueMs: Float64Array;
  fromSentMs: Float64Array;
  firstAt: number;
  /** Events of unknown phase or seq. */
  strays: number;
}

export interface FleetStatus {
  open: number;
  disconnects: number;
  reasons: Record<string, number>;
}

/** What every client fleet child answers (socket-fleet.ts SocketFleet.handlers), `R` being its connect request. */
export type FleetApi<R> = {
  connect: { request: R; reply: ConnectStats };
  status: { request: undefined; reply: FleetStatus };
  /** Closes every socket of the fleet. */
  close: { request: undefined; reply: { closed: number } };
  usage: { request: undefined; reply: ProcessUsage };
  stop: { request: undefined; reply: null };
};

export type ClientApi = FleetApi<ConnectRequest> & {
  track: { request: { phase: string; count: number }; reply: null };
  progress: { request: { phase: string }; reply: PhaseProgress };
  deliveries: { request: { phase: string }; reply: PhaseDeliveries };
};

/** Targets spread over the agents: consecutive events go to agents far apart. */
export const STRIDE = 7919;

export function targetIndex(seq: number, agents: number): number {
  return (seq * STRIDE) % agents;
}
