import { io, type Socket } from 'socket.io-client';
import { STAFF_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@ventanilla/hub/realtime-contract';

export type StaffSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The inbox's connection to the hub: same typed contract as the server (CONVENTIONS 8). */
export function connectStaffSocket(baseUrl: string, token: string): StaffSocket {
  return io(`${baseUrl}${STAFF_NAMESPACE}`, { auth: { token }, transports: ['websocket'] });
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
