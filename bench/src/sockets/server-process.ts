/**
 * The socket server of the socket benchmark (bench/src/sockets.bench.ts), a child process so that
 * its memory is its own. Runs with --expose-gc: memory is read after full collections.
 *
 *   SOCKETS_ROLE=hub  the hub, HUB_ROLE=api, configured from the environment like main.ts
 *                     (startHubProcess: Fastify, socket.io /staff with JWT auth and the Redis adapter)
 *   SOCKETS_ROLE=raw  the baseline: a bare socket.io server (same version and ping settings,
 *                     no auth, no adapter) whose /staff sockets join the same rooms
 *
 * SOCKETS_TWEAKS (comma-separated, investigation only) applies server changes at run time,
 * to measure what a change to hub/src/realtime/realtime.server.ts would save (see tweaks.ts).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Server, type Namespace } from 'socket.io';
import { loadConfig, rooms, startHubProcess, STAFF_NAMESPACE, type HubProcess } from '@ventanilla/hub';
import { failChild, serveParent, type Handlers } from './ipc.js';
import type { MemorySample, ServerApi, SubscriberEvents } from './protocol.js';
import { runPushLoop } from './push-loop.js';
import { applyTweaks, parseTweaks } from './tweaks.js';

const gc = (globalThis as { gc?: () => void }).gc;

async function fullGc(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc?.();
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

/** Same ping settings as the hub (realtime.server.ts), nothing else. */
function startRaw(): Promise<{ io: Server; http: HttpServer; url: string }> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, cors: { origin: false }, pingInterval: 20_000, pingTimeout: 20_000 });
  io.of(STAFF_NAMESPACE).on('connection', (socket) => {
    const auth = socket.handshake.auth as { userId?: unknown; campaignIds?: unknown };
    const campaignIds = Array.isArray(auth.campaignIds) ? auth.campaignIds.map(String) : [];
    void socket.join([rooms.agent(String(auth.userId)), ...campaignIds.map((id) => rooms.campaign(id))]);
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

/** Counts what happens to the Redis adapter's subscriber connection (observation only; raw: none). */
function observeSubscriber(staff: Namespace): SubscriberEvents {
  const events: SubscriberEvents = { closes: 0, reconnects: 0 };
  const sub = (staff.adapter as unknown as { subClient?: { status: string; on(event: string, listener: () => void): unknown } }).subClient;
  if (!sub) return events;
  let ready = sub.status === 'ready';
  sub.on('close', () => events.closes++);
  sub.on('ready', () => {
    if (ready) events.reconnects++;
    ready = true;
  });
  return events;
}

async function main(): Promise<void> {
  const role = process.env['SOCKETS_ROLE'] ?? 'hub';
  const tweaks = parseTweaks(process.env['SOCKETS_TWEAKS'] ?? '');
  let hub: HubProcess | null = null;
  let raw: Awaited<ReturnType<typeof startRaw>> | null = null;
  let staff: Namespace;
  let url: string;
  if (role === 'raw') {
    raw = await startRaw();
    applyTweaks(raw.io, tweaks);
    staff = raw.io.of(STAFF_NAMESPACE);
    url = raw.url;
  } else {
    hub = await startHubProcess(loadConfig(process.env), { migrate: false });
    if (!hub.io || !hub.url) throw new Error('the hub has no socket server (HUB_ROLE must be api or all)');
    applyTweaks(hub.io as unknown as Server, tweaks, (line) => process.stderr.write(`[hub tweak] ${line}\n`));
    staff = hub.io.of(STAFF_NAMESPACE) as unknown as Namespace;
    url = hub.url;
  }
  const subscriber = observeSubscriber(staff);

  const handlers: Handlers<ServerApi> = {
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
        sockets: staff.sockets.size,
        rooms: staff.adapter.rooms.size,
      };
    },
    subscriber: () => ({ ...subscriber }),
    usage() {
      const cpu = process.cpuUsage();
      const elu = performance.eventLoopUtilization();
      return { cpuUs: cpu.user + cpu.system, eluActiveMs: elu.active, eluIdleMs: elu.idle };
    },
    async push(plan) {
      if (role !== 'raw') throw new Error('push runs in the raw baseline only; the hub is pushed to through Redis');
      const target = staff as unknown as Namespace;
      return runPushLoop(plan, (seq, room, payload) => {
        target.to(room).emit('conversation.offered', { ...payload, eventId: String(seq) });
      });
    },
    stop: () => null,
  };
  serveParent<ServerApi>(handlers, { url }, async () => {
    await hub?.stop();
    if (raw) {
      const r = raw;
      await new Promise<void>((resolve) => r.io.close(() => resolve()));
    }
  });
}

main().catch((error: unknown) => failChild('socket server', error));
