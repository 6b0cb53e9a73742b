import type { InternalMessageView } from '@ventanilla/hub/realtime-contract';
import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';

/** hub/src/internal-messages/internal-messages.routes.ts */
export interface ThreadSummaryView {
  userId: string;
  displayName: string;
  lastBody: string;
  lastAt: string;
  unreadCount: number;
}
export interface ContactView {
  userId: string;
  displayName: string;
  roles: string[];
  campaignId: string;
  campaignName: string;
}

export interface InternalMessagesApi {
  threads(): Promise<{ items: ThreadSummaryView[] }>;
  contacts(): Promise<{ items: ContactView[] }>;
  thread(withUserId: string): Promise<{ items: InternalMessageView[]; nextBefore: string | null }>;
  send(input: { campaignId: string; toUserId: string; body: string }): Promise<{ message: InternalMessageView }>;
  markRead(id: string): Promise<{ id: string; readAt: string }>;
  broadcast(input: { campaignId: string; body: string }): Promise<{ count: number; messages: InternalMessageView[] }>;
}

export function internalMessagesApi(session: AuthSession): InternalMessagesApi {
  return {
    threads: () => callJson(session, 'GET', '/internal-messages/threads'),
    contacts: () => callJson(session, 'GET', '/internal-messages/contacts'),
    thread: (withUserId) => callJson(session, 'GET', `/internal-messages?with=${encodeURIComponent(withUserId)}&limit=100`),
    send: (input) => callJson(session, 'POST', '/internal-messages', input),
    markRead: (id) => callJson(session, 'POST', `/internal-messages/${encodeURIComponent(id)}/read`, {}),
    broadcast: (input) => callJson(session, 'POST', '/internal-messages/broadcast', input),
  };
}
