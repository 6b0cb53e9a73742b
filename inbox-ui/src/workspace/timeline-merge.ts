import type { DeliveryStatusView, MessageView, TimelineItem } from '@ventanilla/hub/realtime-contract';

/** One identity per timeline entry, so a refetch after a reconnect and a socket event never double it. */
export function timelineKey(item: TimelineItem): string {
  switch (item.kind) {
    case 'message':
      return `m:${item.message.id}`;
    case 'note':
      return `n:${item.note.id}`;
    case 'event':
      return `e:${item.event.id}`;
  }
}

/** Delivery only moves forward; a late "sent" never overwrites "read". `failed` is final. */
const STATUS_RANK: Record<DeliveryStatusView, number> = { received: 0, pending: 1, sent: 2, delivered: 3, read: 4, failed: 5 };

export function laterStatus(a: DeliveryStatusView, b: DeliveryStatusView): DeliveryStatusView {
  return STATUS_RANK[b] >= STATUS_RANK[a] ? b : a;
}

function mergeMessage(old: MessageView, incoming: MessageView): MessageView {
  const status = laterStatus(old.status, incoming.status);
  const fromIncoming = status === incoming.status;
  return {
    ...incoming,
    status,
    errorCode: fromIncoming ? incoming.errorCode : old.errorCode,
    errorReason: fromIncoming ? incoming.errorReason : old.errorReason,
  };
}

/** Union of two timelines by key, oldest first (stable for equal instants). */
export function mergeTimeline(existing: readonly TimelineItem[], incoming: readonly TimelineItem[]): TimelineItem[] {
  const byKey = new Map<string, TimelineItem>();
  for (const item of existing) byKey.set(timelineKey(item), item);
  for (const item of incoming) {
    const key = timelineKey(item);
    const old = byKey.get(key);
    if (old && old.kind === 'message' && item.kind === 'message') byKey.set(key, { ...item, message: mergeMessage(old.message, item.message) });
    else byKey.set(key, item);
  }
  return [...byKey.values()].map((item, index) => ({ item, index })).sort((a, b) => Date.parse(a.item.at) - Date.parse(b.item.at) || a.index - b.index).map((x) => x.item);
}

export function applyMessageStatus(items: readonly TimelineItem[], messageId: string, status: DeliveryStatusView, errorCode: string | null, errorReason: string | null): TimelineItem[] {
  return items.map((item) => {
    if (item.kind !== 'message' || item.message.id !== messageId) return item;
    const next = laterStatus(item.message.status, status);
    if (next === item.message.status) return item;
    return { ...item, message: { ...item.message, status: next, errorCode, errorReason } };
  });
}

/** Last inbound / outbound instants from a timeline, for the session timers. */
export function lastMessageTimes(items: readonly TimelineItem[]): { lastInboundAt: string | null; lastOutboundAt: string | null } {
  let lastInboundAt: string | null = null;
  let lastOutboundAt: string | null = null;
  for (const item of items) {
    if (item.kind !== 'message') continue;
    const m = item.message;
    if (m.direction === 'inbound') lastInboundAt = later(lastInboundAt, m.createdAt);
    else if (m.senderType === 'agent') lastOutboundAt = later(lastOutboundAt, m.createdAt);
  }
  return { lastInboundAt, lastOutboundAt };
}

export function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
