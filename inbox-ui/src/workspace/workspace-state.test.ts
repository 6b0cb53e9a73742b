import { describe, expect, it } from 'vitest';
import type { ConversationListItem, MessageView } from '@ventanilla/hub/realtime-contract';
import { EventDeduper } from '../realtime/staff-socket.js';
import { mergeTimeline } from './timeline-merge.js';
import { initialWorkspace, mySessions, workspaceReducer, type WorkspaceAction } from './workspace-state.js';

const me = 'agent-1';
function conversation(id: string, over: Partial<ConversationListItem> = {}): ConversationListItem {
  return {
    id,
    folio: `DH-20261126-${id}`,
    campaignId: 'c1',
    channelId: 'ch',
    channelKind: 'api',
    contactId: `contact-${id}`,
    contactName: 'María',
    status: 'assigned',
    priority: 50,
    assigneeId: me,
    unreadCount: 0,
    openedAt: '2026-11-26T10:00:00.000Z',
    lastMessageAt: '2026-11-26T10:00:00.000Z',
    queueId: 'q1',
    channelClass: 'text',
    lastInboundAt: null,
    lastOutboundAt: null,
    assigneeName: 'Ana',
    ...over,
  };
}
function message(id: string, over: Partial<MessageView> = {}): MessageView {
  return { id, conversationId: 'x1', direction: 'inbound', senderType: 'contact', senderId: null, contentType: 'text', text: `texto ${id}`, attachments: [], subject: null, status: 'received', errorCode: null, errorReason: null, createdAt: '2026-11-26T10:01:00.000Z', ...over };
}
const run = (actions: WorkspaceAction[]) => actions.reduce(workspaceReducer, initialWorkspace(me));

describe('workspace state', () => {
  it('never doubles a message: a socket event, its repeat and a refetch after reconnect merge by id', () => {
    const m1 = message('m1');
    const m2 = message('m2', { createdAt: '2026-11-26T10:02:00.000Z' });
    const state = run([
      { type: 'conversations.loaded', items: [conversation('x1')] },
      { type: 'timeline.loaded', conversationId: 'x1', items: [{ kind: 'message', at: m1.createdAt, message: m1 }] },
      { type: 'message.created', conversationId: 'x1', message: m2 },
      { type: 'message.created', conversationId: 'x1', message: m2 },
      { type: 'timeline.loaded', conversationId: 'x1', items: [m1, m2].map((m) => ({ kind: 'message' as const, at: m.createdAt, message: m })) },
    ]);
    expect(state.timelines['x1']?.map((i) => (i.kind === 'message' ? i.message.id : '?'))).toEqual(['m1', 'm2']);
    expect(state.unread['x1']).toBe(1);
    expect(state.conversations['x1']?.lastInboundAt).toBe('2026-11-26T10:02:00.000Z');
  });

  it('keeps the furthest delivery status when updates arrive out of order', () => {
    const out = message('o1', { direction: 'outbound', senderType: 'agent', senderId: me, status: 'pending' });
    const state = run([
      { type: 'conversations.loaded', items: [conversation('x1')] },
      { type: 'timeline.loaded', conversationId: 'x1', items: [{ kind: 'message', at: out.createdAt, message: out }] },
      { type: 'message.status', payload: { eventId: 'e1', campaignId: 'c1', conversationId: 'x1', messageId: 'o1', status: 'read', errorCode: null, errorReason: null, at: '' } },
      { type: 'message.status', payload: { eventId: 'e2', campaignId: 'c1', conversationId: 'x1', messageId: 'o1', status: 'sent', errorCode: null, errorReason: null, at: '' } },
    ]);
    const item = state.timelines['x1']?.[0];
    expect(item?.kind === 'message' && item.message.status).toBe('read');
    // A stale refetch carrying "sent" does not move it back either.
    const merged = mergeTimeline(state.timelines['x1'] ?? [], [{ kind: 'message', at: out.createdAt, message: { ...out, status: 'sent' } }]);
    expect(merged[0]?.kind === 'message' && merged[0].message.status).toBe('read');
  });

  it('shows only my own offers, drops one when the hub routes the conversation elsewhere, and lists my sessions', () => {
    const offer = { eventId: 'e', campaignId: 'c1', conversationId: 'x2', folio: 'F2', offerId: 'o2', agentId: me, queueId: 'q1', channelClass: 'text' as const, expiresAt: '2026-11-26T10:00:20Z', autoAccepted: false };
    let state = run([
      { type: 'conversations.loaded', items: [conversation('x1'), conversation('x2', { status: 'offered', assigneeId: null }), conversation('x3', { assigneeId: 'other' })] },
      { type: 'offer.received', offer, at: 0 },
      { type: 'offer.received', offer, at: 1 },
      { type: 'offer.received', offer: { ...offer, offerId: 'o9', agentId: 'other' }, at: 0 },
    ]);
    expect(state.offers.map((o) => o.offerId)).toEqual(['o2']);
    state = workspaceReducer(state, { type: 'conversation.routed', payload: { eventId: 'r', campaignId: 'c1', conversationId: 'x2', folio: 'F2', status: 'queued', assigneeId: null, queueId: 'q1', change: 'rona' } });
    expect(state.offers).toEqual([]);
    expect(mySessions(state).map((c) => c.id)).toEqual(['x1']);
    state = workspaceReducer(state, { type: 'conversation.routed', payload: { eventId: 'r2', campaignId: 'c1', conversationId: 'x2', folio: 'F2', status: 'assigned', assigneeId: me, queueId: 'q1', change: 'accepted' } });
    expect(mySessions(state).map((c) => c.id)).toEqual(['x1', 'x2']);
  });

  it('clears the unread count when the session is opened', () => {
    const state = run([
      { type: 'conversations.loaded', items: [conversation('x1')] },
      { type: 'message.created', conversationId: 'x1', message: message('m1') },
      { type: 'activate', conversationId: 'x1' },
      { type: 'message.created', conversationId: 'x1', message: message('m2') },
    ]);
    expect(state.unread['x1']).toBeUndefined();
  });

  it('drops repeated socket events by event id', () => {
    const dedupe = new EventDeduper(100);
    const seen = ['a', 'b', 'a', 'c', 'b'].filter((id) => dedupe.firstTime(id));
    expect(seen).toEqual(['a', 'b', 'c']);
  });
});
