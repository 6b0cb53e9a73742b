import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { failChild, serveParent, type Handlers } from './ipc.js';
import { ownUsage } from './own-usage.js';
import type { ConnectRequest, ConnectStats, FleetApi, FleetStatus } from './protocol.js';

type EventsMap = Record<string, (...args: never[]) => void>;

/** What one socket's handshake says: the namespace URL, socket.io `auth` and any extra HTTP headers. */
export interface Handshake {
  url: string;
  auth: Record<string, unknown>;
  extraHeaders?: Record<string, string>;
}

/**
 * The sockets of a client fleet child process: opened as a real client would (websocket
 * transport, no reconnection), one connection each — forceNew, since socket.io-client would
 * otherwise multiplex every socket of a URL over one — `concurrency` handshakes at a time with
 * retries, and counted when they drop. `R` is the fleet's connect request; `L`/`M` the event maps
 * of its sockets, for the listeners `onConnected` adds.
 */
export class SocketFleet<R extends ConnectRequest<unknown>, L extends EventsMap = EventsMap, M extends EventsMap = EventsMap> {
  private readonly sockets: Socket<L, M>[] = [];
  private closing = false;
  private disconnects = 0;
  private readonly reasons: Record<string, number> = {};

  constructor(
    private readonly handshake: (request: R, entry: R['entries'][number]) => Handshake,
    private readonly onConnected: (socket: Socket<L, M>, entry: R['entries'][number]) => void = () => undefined,
  ) {}

  async connect(request: R): Promise<ConnectStats> {
    this.closing = false;
    this.disconnects = 0;
    for (const key of Object.keys(this.reasons)) delete this.reasons[key];
    const t0 = performance.now();
    const connectMs = new Float64Array(request.entries.length).fill(NaN);
    const errorKinds: Record<string, number> = {};
    let connected = 0;
    let failed = 0;
    let retries = 0;
    let next = 0;
    const lane = async (): Promise<void> => {
      for (;;) {
        const index = next++;
        const entry = request.entries[index];
        if (!entry) return;
        const started = performance.now();
        for (let attempt = 1; ; attempt++) {
          try {
            this.sockets.push(await this.open(request, entry));
            connectMs[index] = performance.now() - started;
            connected++;
            break;
          } catch (error) {
            const kind = error instanceof Error ? error.message.slice(0, 80) : String(error);
            errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
            if (attempt >= request.attempts) {
              failed++;
              break;
            }
            retries++;
            await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, request.concurrency) }, () => lane()));
    return { connected, failed, retries, errorKinds, connectMs: connectMs.filter((v) => Number.isFinite(v)), durationMs: performance.now() - t0 };
  }

  status(): FleetStatus {
    let open = 0;
    for (const s of this.sockets) if (s.connected) open++;
    return { open, disconnects: this.disconnects, reasons: { ...this.reasons } };
  }

  async close(): Promise<{ closed: number }> {
    this.closing = true;
    const n = this.sockets.length;
    for (const socket of this.sockets.splice(0)) {
      socket.removeAllListeners();
      socket.disconnect();
    }
    // Let the close frames leave before the parent goes on.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { closed: n };
  }

  /** The requests every fleet answers; a fleet with more spreads these into its handlers. */
  handlers(): Handlers<FleetApi<R>> {
    return {
      connect: (request) => this.connect(request),
      status: () => this.status(),
      close: () => this.close(),
      usage: ownUsage,
      stop: () => null,
    };
  }

  /** Serves the parent until it stops this child (closing the sockets first), or exits when that cannot start. */
  serve<A extends FleetApi<R>>(label: string, handlers: Handlers<A>): void {
    try {
      serveParent<A>(handlers, { url: null }, async () => {
        await this.close();
      });
    } catch (error) {
      failChild(label, error);
    }
  }

  private open(request: R, entry: R['entries'][number]): Promise<Socket<L, M>> {
    return new Promise((resolve, reject) => {
      const { url, ...handshake } = this.handshake(request, entry);
      const socket: Socket<L, M> = io(url, {
        ...handshake,
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        timeout: 30_000,
      });
      const fail = (error: Error): void => {
        socket.removeAllListeners();
        socket.close();
        reject(error);
      };
      socket.once('connect_error', fail);
      socket.once('connect', () => {
        socket.off('connect_error', fail);
        this.onConnected(socket, entry);
        socket.on('disconnect', (reason) => {
          if (this.closing) return;
          this.disconnects++;
          this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
        });
        resolve(socket);
      });
    });
  }
}
