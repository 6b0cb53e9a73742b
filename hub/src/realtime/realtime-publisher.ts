import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { OutboxRow } from '../outbox/outbox.js';
import { WIDGET_NAMESPACE, widgetRooms, type WidgetServerToClientEvents } from '../webchat/widget.contract.js';
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
  private readonly published: ((row: OutboxRow) => void)[] = [];
  constructor(redis: Redis, redisPrefix: string) {
    this.emitter = new Emitter(redis, { key: socketIoKey(redisPrefix) });
  }
  /** Told of every row this process publishes (the wallboard marks the row's campaign as changed). */
  onPublished(listener: (row: OutboxRow) => void): void {
    this.published.push(listener);
  }
  publish(row: OutboxRow): void {
    for (const listener of this.published) listener(row);
    const { event, rooms, data } = row.notification;
    const target = this.emitter.of(STAFF_NAMESPACE).to(rooms);
    // The payload type is checked where the notification is built (OutboxNotification).
    (target.emit as (ev: string, payload: unknown) => boolean)(event, { ...data, eventId: row.id });
    // The citizen's widget hears that its conversation moved (queued, taken, ended) and
    // fetches its own view of it: nothing of the staff payload reaches the browser.
    if (event === 'conversation.routed' || event === 'conversation.offered' || event === 'conversation.opened') {
      const conversationId = event === 'conversation.opened' ? row.notification.data.conversation.id : row.notification.data.conversationId;
      this.toWidgetConversation(conversationId, 'session.updated', { at: new Date().toISOString() });
    }
  }

  /** To every tab of one web chat visitor, on whichever hub process holds their sockets. */
  toVisitor<E extends keyof WidgetServerToClientEvents>(visitorId: string, event: E, payload: Parameters<WidgetServerToClientEvents[E]>[0]): void {
    (this.emitter.of(WIDGET_NAMESPACE).to(widgetRooms.visitor(visitorId)).emit as (ev: string, payload: unknown) => boolean)(event, payload);
  }

  /** To the widget sockets following one conversation (routing and typing signals). */
  toWidgetConversation<E extends keyof WidgetServerToClientEvents>(conversationId: string, event: E, payload: Parameters<WidgetServerToClientEvents[E]>[0]): void {
    (this.emitter.of(WIDGET_NAMESPACE).to(widgetRooms.conversation(conversationId)).emit as (ev: string, payload: unknown) => boolean)(event, payload);
  }

  /** Disconnects the user's sockets on every hub process (they reconnect and are re-authorised). */
  disconnectUser(userId: string): void {
    this.emitter.of(STAFF_NAMESPACE).in(rooms.agent(userId)).disconnectSockets(true);
  }
}
