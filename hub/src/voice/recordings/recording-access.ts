import { sql, type Kysely } from 'kysely';
import { assertCampaign, hasRole, type Principal } from '../../auth/principal.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { servedAgents } from '../../surveys/served-agents.query.js';
import { maySeeSampledConversation } from '../../quality/quality-access.js';

export interface FoundRecording {
  recordingSid: string;
  source: 'call' | 'voicemail';
  conversationId: string;
  campaignId: string;
  channelId: string;
  folio: string;
  storedUrl: string | null;
  /** Agents on the recorded call (voice_recordings.agent_ids); empty for a voicemail. */
  agentIds: string[];
}

export const RECORDING_SID = /^RE[0-9a-f]{32}$/;

/** A call recording (agent leg) or a voicemail, by Twilio's RecordingSid; null when neither has it. */
export async function findRecording(db: Kysely<Database>, recordingSid: string): Promise<FoundRecording | null> {
  // A recording purged by retention or an ARCO cancellation (privacy/) is gone: 404.
  const call = await db.selectFrom('voice_recordings').selectAll().where('recording_sid', '=', recordingSid).where(sql<boolean>`purged_at IS NULL`).executeTakeFirst();
  if (call) {
    return { recordingSid, source: 'call', conversationId: call.conversation_id, campaignId: call.campaign_id, channelId: call.channel_id, folio: call.folio, storedUrl: call.url, agentIds: [...call.agent_ids] };
  }
  const voicemail = await db.selectFrom('voice_voicemails').selectAll().where('recording_sid', '=', recordingSid).where(sql<boolean>`purged_at IS NULL`).executeTakeFirst();
  if (voicemail) {
    return { recordingSid, source: 'voicemail', conversationId: voicemail.conversation_id, campaignId: voicemail.campaign_id, channelId: voicemail.channel_id, folio: voicemail.folio, storedUrl: voicemail.recording_url, agentIds: [] };
  }
  return null;
}

const OVERSEERS = ['admin', 'supervisor', 'auditor'] as const;

/**
 * Who may play a recording: a supervisor, admin or auditor of its campaign, or an agent of the
 * campaign who served the conversation (took it — the `conversation.assigned` events —, holds it
 * now, or was on the recorded call). Everyone else gets 403; the recording's existence is not
 * hidden from campaign members (its sid comes from their own screens).
 */
export async function assertMayPlay(db: Kysely<Database>, principal: Principal, recording: FoundRecording): Promise<void> {
  assertCampaign(principal, recording.campaignId);
  if (hasRole(principal, OVERSEERS)) return;
  // A quality analyst listens to the calls a monthly sample drew (assigned to them or unassigned).
  if (hasRole(principal, ['quality_analyst']) && (await maySeeSampledConversation(db, principal, recording.conversationId))) return;
  if (!hasRole(principal, ['agent'])) throw new HubError('HUB_ERR_FORBIDDEN_ROLE', undefined, { required: [...OVERSEERS, 'agent'] });
  if (recording.agentIds.includes(principal.userId)) return;
  const conversation = await db.selectFrom('conversations').select('assignee_id').where('id', '=', recording.conversationId).executeTakeFirst();
  if (conversation?.assignee_id === principal.userId) return;
  if ((await servedAgents(db, recording.conversationId)).some((a) => a.agentId === principal.userId)) return;
  throw new HubError('HUB_ERR_NOT_ASSIGNEE', 'Solo los asesores que atendieron la conversación pueden escuchar la grabación / only the agents who served the conversation may play its recording');
}
