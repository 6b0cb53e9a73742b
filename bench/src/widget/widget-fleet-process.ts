/**
 * A fleet of web chat visitors for the widget benchmark (bench/src/widget.bench.ts): a child
 * process holding a share of the /widget sockets, as the widget opens them (visitor token in
 * `auth`, the page's Origin header, websocket transport), one connection each (forceNew: the
 * client would otherwise multiplex every socket of a URL over one), idle once connected.
 */
import { performance } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import type { WidgetClientToServerEvents, WidgetServerToClientEvents } from '../../../hub/src/webchat/widget.contract.js';
import { WIDGET_NAMESPACE } from '../../../hub/src/webchat/widget.contract.js';
import { failChild, serveParent, type Handlers } from '../sockets/ipc.js';
import type { ConnectStats } from '../sockets/protocol.js';
import type { FleetConnectRequest, VisitorEntry, WidgetFleetApi } from './widget-protocol.js';

type WidgetClient = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;

const sockets: WidgetClient[] = [];
let closing = false;
let disconnects = 0;
const reasons: Record<string, number> = {};

function open(url: string, origin: string, entry: VisitorEntry): Promise<WidgetClient> {
  return new Promise((resolve, reject) => {
    const socket: WidgetClient = connect(`${url}${WIDGET_NAMESPACE}`, {
      auth: { token: entry.token },
      extraHeaders: { origin },
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
      socket.on('disconnect', (reason) => {
        if (closing) return;
        disconnects++;
        reasons[reason] = (reasons[reason] ?? 0) + 1;
      });
      resolve(socket);
    });
  });
}

async function connectAll(request: FleetConnectRequest): Promise<ConnectStats> {
  closing = false;
  disconnects = 0;
  for (const key of Object.keys(reasons)) delete reasons[key];
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
          sockets.push(await open(request.url, request.origin, entry));
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

async function closeAll(): Promise<{ closed: number }> {
  closing = true;
  const n = sockets.length;
  for (const socket of sockets.splice(0)) {
    socket.removeAllListeners();
    socket.disconnect();
  }
  // Let the close frames leave before the parent goes on.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { closed: n };
}

const handlers: Handlers<WidgetFleetApi> = {
  connect: connectAll,
  status() {
    let openSockets = 0;
    for (const s of sockets) if (s.connected) openSockets++;
    return { open: openSockets, disconnects, reasons: { ...reasons } };
  },
  close: closeAll,
  usage() {
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    return { cpuUs: cpu.user + cpu.system, eluActiveMs: elu.active, eluIdleMs: elu.idle };
  },
  stop: () => null,
};

try {
  serveParent<WidgetFleetApi>(handlers, { url: null }, async () => {
    await closeAll();
  });
} catch (error) {
  failChild('widget fleet', error);
}
