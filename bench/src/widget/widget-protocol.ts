import type { ConnectRequest, FleetApi } from '../sockets/protocol.js';

/**
 * What the widget benchmark's processes say to each other over IPC (bench/src/sockets/ipc.ts),
 * beyond what every socket benchmark's do (sockets/protocol.ts): the bench process (parent), a
 * socket server (the hub, HUB_ROLE=api or worker, or the raw socket.io baseline; SocketServerApi)
 * and the visitor fleets holding /widget sockets.
 */

/** One visitor's socket handshake: the token in `auth`, the page's Origin as a header. */
export interface VisitorEntry {
  visitorId: string;
  token: string;
}

export type FleetConnectRequest = ConnectRequest<VisitorEntry> & { origin: string };

export type WidgetFleetApi = FleetApi<FleetConnectRequest>;

/** The raw baseline's echo: the client emits `echo`, the server emits it straight back. */
export const ECHO_EVENT = 'bench.echo';
