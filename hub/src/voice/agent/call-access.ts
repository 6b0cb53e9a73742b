import type { Kysely } from 'kysely';
import { authorize, HANDLING_ROLES, hasRole, type Principal } from '../../auth/principal.js';
import type { Database } from '../../db/schema.js';
import type { VoiceAgentLeg, VoiceConference } from '../../db/schema-voice-agent.js';
import { HubError } from '../../errors/error-registry.js';
import { conferenceOf, liveLegs } from './agent-leg.store.js';

export interface CallConversation {
  id: string;
  folio: string;
  campaign_id: string;
  channel_id: string;
  status: string;
  assignee_id: string | null;
  seat_type: string | null;
  closed_at: Date | null;
}

/**
 * Who may see and steer a call: the agent holding the conversation, or an admin / supervisor of
 * its campaign. Another agent of the campaign gets 403, a foreign campaign 403, unknown 404.
 */
export async function callForStaff(db: Kysely<Database>, principal: Principal, conversationId: string): Promise<CallConversation> {
  const conversation = await db
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
    .select(['c.id', 'c.folio', 'c.campaign_id', 'c.channel_id', 'c.status', 'c.assignee_id', 'c.seat_type', 'c.closed_at', 'ch.kind'])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
  if (!conversation || conversation.kind !== 'voice') throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
  authorize(principal, HANDLING_ROLES, conversation.campaign_id);
  if (!hasRole(principal, ['admin', 'supervisor']) && conversation.assignee_id !== principal.userId) throw new HubError('HUB_ERR_NOT_ASSIGNEE');
  return conversation;
}

export interface LiveCall {
  conference: VoiceConference & { conference_sid: string };
  /** The agent leg in the conversation now (the assignee's), if one is talking. */
  agentLeg: (VoiceAgentLeg & { call_sid: string }) | null;
  legs: VoiceAgentLeg[];
}

const NOT_LIVE = 'La llamada no está en curso con un agente / the call is not live with an agent';

/** A call the controls can act on: the citizen in the conference, Twilio's conference known. */
export async function liveCall(db: Kysely<Database>, conversation: CallConversation, options: { needAgent: boolean }): Promise<LiveCall> {
  const conference = await conferenceOf(db, conversation.id);
  if (!conference || conference.caller_state !== 'conference' || conference.conference_sid === null || conversation.closed_at !== null) throw new HubError('HUB_ERR_CONFLICT', NOT_LIVE);
  const citizen = await db.selectFrom('voice_calls').select(['ended_at']).where('call_sid', '=', conference.citizen_call_sid).executeTakeFirst();
  if (!citizen || citizen.ended_at !== null) throw new HubError('HUB_ERR_CONFLICT', NOT_LIVE);
  const legs = await liveLegs(db, conversation.id);
  const talking = legs.find((l) => l.role === 'agent' && l.state === 'talking' && l.call_sid !== null);
  const agentLeg = talking && talking.call_sid !== null ? { ...talking, call_sid: talking.call_sid } : null;
  if (options.needAgent && !agentLeg) throw new HubError('HUB_ERR_CONFLICT', NOT_LIVE);
  return { conference: { ...conference, conference_sid: conference.conference_sid }, agentLeg, legs };
}
