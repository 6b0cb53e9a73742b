import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { OutboxRow } from '../outbox/outbox.js';
import { rooms, STAFF_NAMESPACE } from './events.contract.js';

export function socketIoKey(redisPrefix: string): string {
  return `${redisPrefix}:sio`;
}

/**
 * Publishes outbox rows to every hub process through Redis (the socket.io emitter speaks
 * the redis adapter's protocol), so a worker needs no socket server of its own.
 */
export class RealtimePublisher {
  private readonly emitter: Emitter;
  constructor(redis: Redis, redisPrefix: string) {
    this.emitter = new Emitter(redis, { key: socketIoKey(redisPrefix) });
  }
  publish(row: OutboxRow): void {
    const { event, rooms, data } = row.notification;
    const target = this.emitter.of(STAFF_NAMESPACE).to(rooms);
    // The payload type is checked where the notification is built (OutboxNotification).
    (target.emit as (ev: string, payload: unknown) => boolean)(event, { ...data, eventId: row.id });
  }

  /** Disconnects the user's sockets on every hub process (they reconnect and are re-authorised). */
  disconnectUser(userId: string): void {
    this.emitter.of(STAFF_NAMESPACE).in(rooms.agent(userId)).disconnectSockets(true);
  }
}
