import type { ConnectStats, FleetStatus, MemorySample, ProcessUsage } from '../sockets/protocol.js';

/**
 * What the widget benchmark's processes say to each other over IPC (bench/src/sockets/ipc.ts):
 * the bench process (parent), a socket server (the hub, HUB_ROLE=api or worker, or the raw
 * socket.io baseline) and the visitor fleets holding /widget sockets.
 */

/** One visitor's socket handshake: the token in `auth`, the page's Origin as a header. */
export interface VisitorEntry {
  visitorId: string;
  token: string;
}

export interface FleetConnectRequest {
  url: string;
  origin: string;
  entries: VisitorEntry[];
  /** Handshakes in flight at once. */
  concurrency: number;
  attempts: number;
}

export type WidgetServerApi = {
  /** After full collections; `sockets` and `rooms` are those of the /widget namespace (0 in a worker). */
  memory: { request: undefined; reply: MemorySample };
  usage: { request: undefined; reply: ProcessUsage };
  stop: { request: undefined; reply: null };
};

export type WidgetFleetApi = {
  connect: { request: FleetConnectRequest; reply: ConnectStats };
  status: { request: undefined; reply: FleetStatus };
  /** Closes every socket of the fleet. */
  close: { request: undefined; reply: { closed: number } };
  usage: { request: undefined; reply: ProcessUsage };
  stop: { request: undefined; reply: null };
};

/** The raw baseline's echo: the client emits `echo`, the server emits it straight back. */
export const ECHO_EVENT = 'bench.echo';
