import { compareIds } from './compare-ids.js';
import type { QueueSnapshot, WaitingConversation } from './router.types.js';

/**
 * The priority a conversation competes with: its own override, else its queue's. 1 is the most
 * urgent (SPEC §2, issue 3: "priority 1–99; order = priority, then longest waiting"). A
 * conversation whose queue is unknown sorts last; the planners leave it waiting.
 */
export function effectivePriority(
  conversation: WaitingConversation,
  queuesById: ReadonlyMap<string, QueueSnapshot>,
): number {
  return conversation.priority ?? queuesById.get(conversation.queueId)?.priority ?? Number.POSITIVE_INFINITY;
}

/**
 * Waiting conversations in routing order: priority (1 first), then longest waiting, then id so the
 * order never depends on how the caller happened to list them. Returns a new array.
 */
export function orderWaiting(
  conversations: readonly WaitingConversation[],
  queuesById: ReadonlyMap<string, QueueSnapshot>,
): WaitingConversation[] {
  // Priorities are computed once per conversation, not once per comparison (100,000 waiting).
  const keyed = conversations.map((conversation) => ({
    conversation,
    priority: effectivePriority(conversation, queuesById),
  }));
  keyed.sort(
    (a, b) =>
      a.priority - b.priority ||
      a.conversation.enqueuedAt - b.conversation.enqueuedAt ||
      compareIds(a.conversation.id, b.conversation.id),
  );
  return keyed.map((entry) => entry.conversation);
}
