import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { HubProcess } from '@ventanilla/hub';
import type { Handlers } from './ipc.js';
import { ownUsage } from './own-usage.js';
import type { MemorySample, SocketServerApi } from './protocol.js';

/**
 * The parts every socket server child of the benchmarks shares (the staff sockets' server-process.ts,
 * the widget's widget-server-process.ts): the raw baseline's server, the memory sample and the
 * stop, whichever server (the hub or the raw baseline) the child runs.
 */

/** The sizes the memory sample reports: those of the benchmark's namespace. */
export interface NamespaceCounts {
  sockets: { size: number };
  adapter: { rooms: { size: number } };
}

export interface RawServer {
  io: Server;
  http: HttpServer;
  url: string;
}

/**
 * The raw baseline: the hub's socket.io Server options (realtime.server.ts: same version and ping
 * settings) without the Redis adapter, the CORS lookup or the hub's auth; `setup` adds what the
 * benchmark's namespace does instead. Listens on a free loopback port.
 */
export function startRawServer(setup: (io: Server) => void): Promise<RawServer> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, cors: { origin: false }, pingInterval: 20_000, pingTimeout: 20_000 });
  setup(io);
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => {
      const address = http.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ io, http, url: `http://127.0.0.1:${port}` });
    });
  });
}

/** memory (after full collections: the child runs with --expose-gc), usage and stop. */
export function socketServerHandlers(namespace: NamespaceCounts | null): Handlers<SocketServerApi> {
  return {
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
        sockets: namespace?.sockets.size ?? 0,
        rooms: namespace?.adapter.rooms.size ?? 0,
      };
    },
    usage: ownUsage,
    stop: () => null,
  };
}

/** The child's onStop: the hub, or the raw server, whichever it runs. */
export async function stopSocketServer(hub: HubProcess | null, raw: RawServer | null): Promise<void> {
  await hub?.stop();
  if (raw) await new Promise<void>((resolve) => raw.io.close(() => resolve()));
}

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
