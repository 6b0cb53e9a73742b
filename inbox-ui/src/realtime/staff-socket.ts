import { io, type Socket } from 'socket.io-client';
import { STAFF_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@ventanilla/hub/realtime-contract';

export type StaffSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The inbox's connection to the hub: same typed contract as the server (CONVENTIONS 8).
 * The hub disconnects a user's sockets when their roles or campaigns change; socket.io does
 * not reconnect after a server-side disconnect by itself, so we do, and the hub re-checks.
 */
export function connectStaffSocket(baseUrl: string, token: string | (() => string)): StaffSocket {
  const socket: StaffSocket = io(`${baseUrl}${STAFF_NAMESPACE}`, {
    auth: (cb) => cb({ token: typeof token === 'function' ? token() : token }),
    transports: ['websocket'],
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') socket.connect();
  });
  return socket;
}

/**
 * Delivery is at least once (the outbox relay may republish after a crash): remember the
 * last event ids seen and drop repeats.
 */
export class EventDeduper {
  private readonly seen = new Set<string>();
  private readonly order: string[] = [];
  constructor(private readonly capacity = 5000) {}

  firstTime(eventId: string): boolean {
    if (this.seen.has(eventId)) return false;
    this.seen.add(eventId);
    this.order.push(eventId);
    if (this.order.length > this.capacity) {
      const oldest = this.order.shift();
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }
}
