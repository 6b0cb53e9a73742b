import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SupervisionWhisper } from '../db/schema-supervision.js';
import type { OutboxNotification } from '../outbox/outbox.js';
import { rooms, type SupervisionChangedPayload, type SupervisionWhisperView } from '../realtime/events.contract.js';

/** Supervisors with an open session on the conversation (they hear its whispers). */
export async function openSupervisorIds(db: Kysely<Database> | Transaction<Database>, conversationId: string): Promise<string[]> {
  const rows = await db.selectFrom('supervision_sessions').select('supervisor_id').where('conversation_id', '=', conversationId).where('ended_at', 'is', null).execute();
  return rows.map((r) => r.supervisor_id);
}

export function toWhisperView(row: SupervisionWhisper, supervisorName: string): SupervisionWhisperView {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    supervisorId: row.supervisor_id,
    supervisorName,
    agentId: row.agent_id,
    text: row.body,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * A whisper goes to user rooms only — the agent's, its author's, the supervisors monitoring —
 * never to the conversation room (other staff watching) and never to the widget namespace.
 */
export function whisperNotification(campaignId: string, whisper: SupervisionWhisperView, supervisorIds: readonly string[]): OutboxNotification {
  const to = [...new Set([whisper.agentId, whisper.supervisorId, ...supervisorIds])].map((id) => rooms.agent(id));
  return { event: 'supervision.whisper', rooms: to, data: { campaignId, conversationId: whisper.conversationId, whisper } };
}

/** To the supervisor; to the agent only when `toAgent` (campaign setting, or a takeover they must be told of). */
export function changedNotification(data: Omit<SupervisionChangedPayload, 'eventId'>, toAgent: boolean): OutboxNotification {
  const ids = [data.supervisorId, ...(toAgent && data.agentId !== null ? [data.agentId] : [])];
  return { event: 'supervision.changed', rooms: [...new Set(ids)].map((id) => rooms.agent(id)), data };
}
