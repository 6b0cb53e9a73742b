import type { Server } from 'socket.io';
import { STAFF_NAMESPACE } from '@ventanilla/hub';

/**
 * Run-time changes to a socket server, applied in the server process after it started, to
 * measure what a change to hub/src/realtime/realtime.server.ts would do before making it.
 *
 *   discard-request        drop engine.io's reference to each connection's upgrade request
 *                          (`io.engine.on('connection', (raw) => { raw.request = null })`, the
 *                          socket.io memory-usage guide); socket.handshake keeps headers, query, auth.
 *   resync-on-resubscribe  when the Redis adapter's subscriber connection comes back (Redis closed
 *                          it, e.g. past `client-output-buffer-limit pubsub`, and ioredis
 *                          reconnected), events published meanwhile are lost: disconnect this
 *                          process's staff sockets so that the inbox reconnects and refetches.
 */
export const TWEAKS = ['discard-request', 'resync-on-resubscribe'] as const;
export type Tweak = (typeof TWEAKS)[number];

export function parseTweaks(raw: string): Tweak[] {
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const name of names) if (!(TWEAKS as readonly string[]).includes(name)) throw new Error(`unknown tweak ${name} (known: ${TWEAKS.join(', ')})`);
  return names as Tweak[];
}

interface Subscriber {
  status: string;
  on(event: 'ready' | 'close', listener: () => void): unknown;
}

export function applyTweaks(io: Server, tweaks: readonly Tweak[], log: (line: string) => void = () => undefined): void {
  if (tweaks.includes('discard-request')) {
    io.engine.on('connection', (rawSocket: { request: unknown }) => {
      rawSocket.request = null;
    });
  }
  if (tweaks.includes('resync-on-resubscribe')) {
    const staff = io.of(STAFF_NAMESPACE);
    const sub = (staff.adapter as unknown as { subClient?: Subscriber }).subClient;
    if (!sub) throw new Error('resync-on-resubscribe needs the Redis adapter (the hub)');
    // The first 'ready' may still be ahead (the hub does not wait for it); any later one is a reconnection.
    let subscribed = sub.status === 'ready';
    sub.on('close', () => log('socket.io redis subscriber closed'));
    sub.on('ready', () => {
      if (subscribed) {
        log(`socket.io redis subscriber reconnected: disconnecting ${staff.sockets.size} local staff sockets so they resync`);
        staff.local.disconnectSockets(false);
      }
      subscribed = true;
    });
  }
}
