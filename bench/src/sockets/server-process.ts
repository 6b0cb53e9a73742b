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
import type { Namespace, Server } from 'socket.io';
import { loadConfig, rooms, startHubProcess, STAFF_NAMESPACE, type HubProcess } from '@ventanilla/hub';
import { failChild, serveParent, type Handlers } from './ipc.js';
import type { ServerApi, SubscriberEvents } from './protocol.js';
import { runPushLoop } from './push-loop.js';
import { socketServerHandlers, startRawServer, stopSocketServer, type RawServer } from './server-child.js';
import { applyTweaks, parseTweaks } from './tweaks.js';

/** The raw baseline's /staff namespace: no auth; each socket joins the rooms its handshake names. */
function startRaw(): Promise<RawServer> {
  return startRawServer((io) => {
    io.of(STAFF_NAMESPACE).on('connection', (socket) => {
      const auth = socket.handshake.auth as { userId?: unknown; campaignIds?: unknown };
      const campaignIds = Array.isArray(auth.campaignIds) ? auth.campaignIds.map(String) : [];
      void socket.join([rooms.agent(String(auth.userId)), ...campaignIds.map((id) => rooms.campaign(id))]);
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
  let raw: RawServer | null = null;
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
    ...socketServerHandlers(staff),
    subscriber: () => ({ ...subscriber }),
    async push(plan) {
      if (role !== 'raw') throw new Error('push runs in the raw baseline only; the hub is pushed to through Redis');
      const target = staff as unknown as Namespace;
      return runPushLoop(plan, (seq, room, payload) => {
        target.to(room).emit('conversation.offered', { ...payload, eventId: String(seq) });
      });
    },
  };
  serveParent<ServerApi>(handlers, { url }, () => stopSocketServer(hub, raw));
}

main().catch((error: unknown) => failChild('socket server', error));
