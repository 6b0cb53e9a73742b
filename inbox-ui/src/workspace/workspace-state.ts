import type {
  ContactMergedPayload,
  ConversationListItem,
  ConversationOfferedPayload,
  ConversationRoutedPayload,
  ConversationSummary,
  MessageStatusChangedPayload,
  MessageView,
  NoteView,
  TimelineItem,
} from '@ventanilla/hub/realtime-contract';
import { applyMessageStatus, later, lastMessageTimes, mergeTimeline } from './timeline-merge.js';

/**
 * The agent's workspace as one pure reducer: what the REST API returned and what the socket
 * pushed, merged by id (so a refetch after a reconnect and a repeated event never double
 * anything). Side effects live in use-workspace.ts.
 */

export interface OfferView extends ConversationOfferedPayload {
  /** Epoch ms when the browser received it (the countdown uses expiresAt). */
  receivedAt: number;
}

export interface WorkspaceState {
  me: string;
  conversations: Record<string, ConversationListItem>;
  /** Loaded timelines only; others are fetched when opened. */
  timelines: Record<string, TimelineItem[]>;
  offers: OfferView[];
  /** Citizen messages not seen yet, counted in this browser. */
  unread: Record<string, number>;
  activeId: string | null;
}

export type WorkspaceAction =
  | { type: 'conversations.loaded'; items: ConversationListItem[] }
  | { type: 'conversation.opened'; conversation: ConversationSummary }
  | { type: 'conversation.routed'; payload: ConversationRoutedPayload }
  | { type: 'timeline.loaded'; conversationId: string; items: TimelineItem[] }
  | { type: 'message.created'; conversationId: string; message: MessageView }
  | { type: 'message.status'; payload: MessageStatusChangedPayload }
  | { type: 'note.created'; note: NoteView }
  | { type: 'contact.merged'; payload: ContactMergedPayload }
  | { type: 'offer.received'; offer: ConversationOfferedPayload; at: number }
  | { type: 'offer.removed'; offerId: string }
  | { type: 'activate'; conversationId: string | null };

export const OPEN_STATUSES: readonly string[] = ['bot', 'queued', 'offered', 'assigned', 'waiting_contact'];
export const SESSION_STATUSES: readonly string[] = ['assigned', 'waiting_contact'];

export function initialWorkspace(me: string): WorkspaceState {
  return { me, conversations: {}, timelines: {}, offers: [], unread: {}, activeId: null };
}

/** A summary pushed by the socket lacks the list's routing columns until the next fetch. */
export function toListItem(summary: ConversationSummary, previous?: ConversationListItem): ConversationListItem {
  return {
    queueId: null,
    channelClass: null,
    lastInboundAt: null,
    lastOutboundAt: null,
    assigneeName: null,
    ...previous,
    ...summary,
  };
}

function upsert(state: WorkspaceState, item: ConversationListItem): WorkspaceState {
  const previous = state.conversations[item.id];
  const merged: ConversationListItem = previous
    ? {
        ...previous,
        ...item,
        lastInboundAt: later(previous.lastInboundAt, item.lastInboundAt),
        lastOutboundAt: later(previous.lastOutboundAt, item.lastOutboundAt),
        lastMessageAt: later(previous.lastMessageAt, item.lastMessageAt) ?? item.lastMessageAt,
      }
    : item;
  return { ...state, conversations: { ...state.conversations, [item.id]: merged } };
}

export function workspaceReducer(state: WorkspaceState, action: WorkspaceAction): WorkspaceState {
  switch (action.type) {
    case 'conversations.loaded':
      return action.items.reduce(upsert, state);

    case 'conversation.opened':
      return upsert(state, toListItem(action.conversation, state.conversations[action.conversation.id]));

    case 'conversation.routed': {
      const p = action.payload;
      const offers = p.change === 'offered' ? state.offers : state.offers.filter((o) => o.conversationId !== p.conversationId);
      const previous = state.conversations[p.conversationId];
      if (!previous) return offers === state.offers ? state : { ...state, offers };
      return {
        ...state,
        offers,
        conversations: { ...state.conversations, [p.conversationId]: { ...previous, status: p.status, assigneeId: p.assigneeId, queueId: p.queueId } },
      };
    }

    case 'timeline.loaded': {
      const items = mergeTimeline(state.timelines[action.conversationId] ?? [], action.items);
      const next = { ...state, timelines: { ...state.timelines, [action.conversationId]: items } };
      const conversation = state.conversations[action.conversationId];
      if (!conversation) return next;
      const times = lastMessageTimes(items);
      return {
        ...next,
        conversations: {
          ...next.conversations,
          [conversation.id]: { ...conversation, lastInboundAt: later(conversation.lastInboundAt, times.lastInboundAt), lastOutboundAt: later(conversation.lastOutboundAt, times.lastOutboundAt) },
        },
      };
    }

    case 'message.created': {
      const { conversationId, message } = action;
      const timeline = state.timelines[conversationId];
      const already = timeline?.some((i) => i.kind === 'message' && i.message.id === message.id) ?? false;
      let next = state;
      if (timeline) next = { ...next, timelines: { ...next.timelines, [conversationId]: mergeTimeline(timeline, [{ kind: 'message', at: message.createdAt, message }]) } };
      const conversation = next.conversations[conversationId];
      if (conversation) {
        const inbound = message.direction === 'inbound';
        next = {
          ...next,
          conversations: {
            ...next.conversations,
            [conversationId]: {
              ...conversation,
              lastMessageAt: later(conversation.lastMessageAt, message.createdAt) ?? message.createdAt,
              lastInboundAt: inbound ? later(conversation.lastInboundAt, message.createdAt) : conversation.lastInboundAt,
              lastOutboundAt: message.senderType === 'agent' ? later(conversation.lastOutboundAt, message.createdAt) : conversation.lastOutboundAt,
            },
          },
        };
        if (inbound && !already && next.activeId !== conversationId) next = { ...next, unread: { ...next.unread, [conversationId]: (next.unread[conversationId] ?? 0) + 1 } };
      }
      return next;
    }

    case 'message.status': {
      const p = action.payload;
      const timeline = state.timelines[p.conversationId];
      if (!timeline) return state;
      return { ...state, timelines: { ...state.timelines, [p.conversationId]: applyMessageStatus(timeline, p.messageId, p.status, p.errorCode, p.errorReason) } };
    }

    case 'note.created': {
      const timeline = state.timelines[action.note.conversationId];
      if (!timeline) return state;
      return { ...state, timelines: { ...state.timelines, [action.note.conversationId]: mergeTimeline(timeline, [{ kind: 'note', at: action.note.createdAt, note: action.note }]) } };
    }

    case 'contact.merged': {
      const { sourceContactId, targetContactId } = action.payload;
      const conversations = Object.fromEntries(
        Object.entries(state.conversations).map(([id, c]) => [id, c.contactId === sourceContactId ? { ...c, contactId: targetContactId } : c]),
      );
      return { ...state, conversations };
    }

    case 'offer.received': {
      const o = action.offer;
      const known = state.conversations[o.conversationId];
      const next =
        known && !o.autoAccepted && OPEN_STATUSES.includes(known.status)
          ? { ...state, conversations: { ...state.conversations, [o.conversationId]: { ...known, status: 'offered' as const, queueId: o.queueId } } }
          : state;
      if (o.agentId !== state.me || o.autoAccepted) return next;
      if (next.offers.some((x) => x.offerId === o.offerId)) return next;
      return { ...next, offers: [...next.offers, { ...o, receivedAt: action.at }] };
    }

    case 'offer.removed':
      return { ...state, offers: state.offers.filter((o) => o.offerId !== action.offerId) };

    case 'activate': {
      const id = action.conversationId;
      if (id === null) return { ...state, activeId: null };
      const { [id]: _seen, ...unread } = state.unread;
      return { ...state, activeId: id, unread };
    }
  }
}

/** The agent's open sessions (assigned to them and not closed), oldest first. */
export function mySessions(state: WorkspaceState): ConversationListItem[] {
  return Object.values(state.conversations)
    .filter((c) => c.assigneeId === state.me && SESSION_STATUSES.includes(c.status))
    .sort((a, b) => Date.parse(a.openedAt) - Date.parse(b.openedAt));
}

/** Accent- and case-insensitive "contains", for the list's client-side search. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function matchesSearch(c: ConversationListItem, q: string): boolean {
  const needle = fold(q.trim());
  if (needle === '') return true;
  const digits = needle.replace(/\D/g, '');
  return fold(c.folio).includes(needle) || fold(c.contactName ?? '').includes(needle) || (digits.length >= 4 && c.folio.replace(/\D/g, '').includes(digits));
}
