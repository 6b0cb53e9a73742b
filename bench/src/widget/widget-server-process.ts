/**
 * A server of the widget benchmark (bench/src/widget.bench.ts), a child process so that its
 * memory is its own. Runs with --expose-gc: memory is read after full collections.
 *
 *   WIDGET_ROLE=hub  the hub configured from the environment like main.ts (startHubProcess):
 *                    HUB_ROLE=api holds the /widget sockets, HUB_ROLE=worker ingests and sends
 *   WIDGET_ROLE=raw  the baseline: a bare socket.io server (the hub's ping settings, no adapter)
 *                    whose /widget namespace has a small auth middleware — the visitor token's
 *                    signature and origin checked in memory, no database — and joins the visitor's
 *                    room; it echoes `bench.echo` for the round-trip baseline
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { loadConfig, startHubProcess, type HubProcess } from '@ventanilla/hub';
import { verifyVisitorToken } from '../../../hub/src/webchat/visitor-token.js';
import { WIDGET_NAMESPACE, widgetRooms } from '../../../hub/src/webchat/widget.contract.js';
import { failChild, serveParent, type Handlers } from '../sockets/ipc.js';
import type { MemorySample } from '../sockets/protocol.js';
import { ECHO_EVENT, type WidgetServerApi } from './widget-protocol.js';

async function fullGc(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function procStatusKb(field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** The hub's Server options (realtime.server.ts) without the Redis adapter and the CORS lookup. */
function startRaw(secret: string): Promise<{ io: Server; http: HttpServer; url: string }> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, cors: { origin: false }, pingInterval: 20_000, pingTimeout: 20_000 });
  const widget = io.of(WIDGET_NAMESPACE);
  widget.use((socket, next) => {
    const token: unknown = socket.handshake.auth['token'];
    verifyVisitorToken(secret, typeof token === 'string' ? token : undefined)
      .then((claims) => {
        if (socket.handshake.headers.origin !== claims.origin) return next(new Error('HUB_ERR_WIDGET_ORIGIN'));
        socket.data = { visitorId: claims.visitorId, channelId: claims.channelId };
        next();
      })
      .catch(() => next(new Error('HUB_ERR_WIDGET_TOKEN_INVALID')));
  });
  widget.on('connection', (socket) => {
    const visitorId: unknown = socket.data.visitorId;
    void socket.join(widgetRooms.visitor(String(visitorId)));
    socket.on(ECHO_EVENT, (payload: unknown) => void socket.emit(ECHO_EVENT, payload));
  });
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => {
      const address = http.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ io, http, url: `http://127.0.0.1:${port}` });
    });
  });
}

async function main(): Promise<void> {
  const role = process.env['WIDGET_ROLE'] ?? 'hub';
  let hub: HubProcess | null = null;
  let raw: Awaited<ReturnType<typeof startRaw>> | null = null;
  // Only the counts are read: the hub's namespace is typed with the staff event maps.
  let widget: { sockets: { size: number }; adapter: { rooms: { size: number } } } | null;
  let url: string | null;
  if (role === 'raw') {
    raw = await startRaw(loadConfig(process.env).JWT_SECRET);
    widget = raw.io.of(WIDGET_NAMESPACE);
    url = raw.url;
  } else {
    hub = await startHubProcess(loadConfig(process.env), { migrate: false });
    widget = hub.io?.of(WIDGET_NAMESPACE) ?? null;
    url = hub.url;
  }

  const handlers: Handlers<WidgetServerApi> = {
    async memory(): Promise<MemorySample> {
      await fullGc();
      const m = process.memoryUsage();
      return {
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        vmRssKb: procStatusKb('VmRSS'),
        vmHwmKb: procStatusKb('VmHWM'),
        sockets: widget?.sockets.size ?? 0,
        rooms: widget?.adapter.rooms.size ?? 0,
      };
    },
    usage() {
      const cpu = process.cpuUsage();
      const elu = performance.eventLoopUtilization();
      return { cpuUs: cpu.user + cpu.system, eluActiveMs: elu.active, eluIdleMs: elu.idle };
    },
    stop: () => null,
  };
  serveParent<WidgetServerApi>(handlers, { url }, async () => {
    await hub?.stop();
    if (raw) {
      const r = raw;
      await new Promise<void>((resolve) => r.io.close(() => resolve()));
    }
  });
}

main().catch((error: unknown) => failChild('widget server', error));
