import type { InternalMessageView } from '@ventanilla/hub/realtime-contract';
import type { ThreadSummaryView } from './internal-messages-api.js';

/** Pure updates of the panel's thread list (unit-tested in internal-messages-state.test.ts). */

export function totalUnread(threads: readonly ThreadSummaryView[]): number {
  return threads.reduce((sum, t) => sum + t.unreadCount, 0);
}

/**
 * A message sent or received moves its thread to the top; a received one counts as unread
 * unless that thread is open on screen.
 */
export function applyMessage(threads: readonly ThreadSummaryView[], me: string, message: InternalMessageView, openUserId: string | null): ThreadSummaryView[] {
  const incoming = message.toUserId === me;
  const otherId = incoming ? message.fromUserId : message.toUserId;
  const otherName = incoming ? message.fromName : message.toName;
  const existing = threads.find((t) => t.userId === otherId);
  const bump = incoming && openUserId !== otherId ? 1 : 0;
  const updated: ThreadSummaryView = {
    userId: otherId,
    displayName: existing?.displayName ?? otherName,
    lastBody: message.body,
    lastAt: message.createdAt,
    unreadCount: (existing?.unreadCount ?? 0) + bump,
  };
  return [updated, ...threads.filter((t) => t.userId !== otherId)];
}

export function clearUnread(threads: readonly ThreadSummaryView[], userId: string): ThreadSummaryView[] {
  return threads.map((t) => (t.userId === userId ? { ...t, unreadCount: 0 } : t));
}

/** Adds a message to an open thread (newest last on screen), once. */
export function appendToThread(messages: readonly InternalMessageView[], message: InternalMessageView): InternalMessageView[] {
  if (messages.some((m) => m.id === message.id)) return [...messages];
  return [...messages, message];
}

export function applyReceipt(messages: readonly InternalMessageView[], messageId: string, readAt: string): InternalMessageView[] {
  return messages.map((m) => (m.id === messageId ? { ...m, readAt } : m));
}
