import type { SupervisionModeView, SupervisionWhisperView } from '@ventanilla/hub/realtime-contract';
import type { AuthSession } from '../../api/auth-session.js';
import { callJson } from '../../api/hub-api.js';

/** hub/src/supervision/supervision.routes.ts */
export interface MonitorView {
  supervisorId: string;
  supervisorName: string;
  mode: SupervisionModeView;
  startedAt: string;
}
export interface SupervisionStateView {
  conversationId: string;
  assigneeId: string | null;
  voice: boolean;
  agentSeesMonitoring: boolean;
  monitors: MonitorView[];
  whispers: SupervisionWhisperView[];
  mine: MonitorView | null;
}
export interface LiveSessionView {
  conversationId: string;
  folio: string;
  campaignId: string;
  channelKind: string;
  channelClass: 'text' | 'voice' | 'email' | null;
  contactName: string | null;
  status: string;
  agentId: string;
  agentName: string;
  lastMessageAt: string;
  monitoredByMe: boolean;
}
export const TAKEOVER_REASONS = ['quality', 'escalation', 'complaint', 'agent_unavailable', 'training', 'other'] as const;
export type TakeoverReason = (typeof TAKEOVER_REASONS)[number];

export interface SupervisionApi {
  state(conversationId: string): Promise<SupervisionStateView>;
  monitor(conversationId: string): Promise<{ mode: SupervisionModeView; voice: boolean }>;
  stop(conversationId: string): Promise<{ ok: true }>;
  whisper(conversationId: string, text?: string): Promise<{ whisper: SupervisionWhisperView | null; mode: SupervisionModeView | null }>;
  barge(conversationId: string, text?: string): Promise<{ mode: SupervisionModeView | null }>;
  takeover(conversationId: string, reasonCode: TakeoverReason, reasonText?: string): Promise<{ conversationId: string; folio: string; assigneeId: string }>;
  sessions(): Promise<{ items: LiveSessionView[] }>;
}

export function supervisionApi(session: AuthSession): SupervisionApi {
  const base = (id: string) => `/conversations/${encodeURIComponent(id)}/supervision`;
  return {
    state: (id) => callJson(session, 'GET', base(id)),
    monitor: (id) => callJson(session, 'POST', `${base(id)}/monitor`, {}),
    stop: (id) => callJson(session, 'DELETE', `${base(id)}/monitor`),
    whisper: (id, text) => callJson(session, 'POST', `${base(id)}/whisper`, text === undefined ? {} : { text }),
    barge: (id, text) => callJson(session, 'POST', `${base(id)}/barge`, text === undefined ? {} : { text }),
    takeover: (id, reasonCode, reasonText) => callJson(session, 'POST', `${base(id)}/takeover`, { reasonCode, ...(reasonText ? { reasonText } : {}) }),
    sessions: () => callJson(session, 'GET', '/supervision/sessions'),
  };
}
