import { sql, type Kysely } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import type { Logger } from '../../observability/logger.js';
import type { RouterEffects } from '../../router/usecases/router-effects.js';
import { transferConversation, type TransferTarget } from '../../router/usecases/transfer.usecase.js';
import type { AgentVoiceChannel, AgentVoiceChannels } from './agent-channel.js';
import { endLeg, insertThirdPartyLeg, markLegLeaving, moveCaller, setLegCallSid } from './agent-leg.store.js';
import { AGENT_ROUTES } from './agent-twiml.js';
import { liveCall, type CallConversation } from './call-access.js';

export interface CallControlDeps {
  db: Kysely<Database>;
  channels: AgentVoiceChannels;
  logger: Pick<Logger, 'warn'>;
  applyEffects(effects: RouterEffects): Promise<void>;
}

export type TransferRequest =
  | { target: 'agent'; targetId: string; reason?: string | undefined }
  | { target: 'queue'; targetId: string; reason?: string | undefined }
  | { target: 'tier2'; targetId?: string | undefined; reason?: string | undefined }
  | { target: 'campaign'; targetId: string; reason?: string | undefined };

const TWILIO_DOWN = 'Twilio no respondió; intente de nuevo / Twilio did not answer, try again';

async function channelOf(deps: CallControlDeps, conversation: CallConversation): Promise<AgentVoiceChannel> {
  const channel = await deps.channels.get(conversation.channel_id);
  if (!channel) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND');
  return channel;
}

async function twilioStep<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new HubError('HUB_ERR_UNAVAILABLE', TWILIO_DOWN, { cause: error instanceof Error ? error.message : String(error) });
  }
}

/** Hold / resume: the citizen hears hold music; the conference's hold callback stamps the `hold` event. */
export async function setCitizenHold(deps: CallControlDeps, conversation: CallConversation, hold: boolean): Promise<void> {
  const call = await liveCall(deps.db, conversation, { needAgent: true });
  if (call.conference.on_hold === hold) {
    throw new HubError('HUB_ERR_CONFLICT', hold ? 'La llamada ya está en espera / the call is already on hold' : 'La llamada no está en espera / the call is not on hold');
  }
  const channel = await channelOf(deps, conversation);
  await twilioStep(() =>
    channel.rest.updateParticipant(call.conference.conference_sid, call.conference.citizen_call_sid, hold ? { hold: true, holdUrl: channel.urls.path(AGENT_ROUTES.holdMusic) } : { hold: false }),
  );
}

/**
 * Hang up: the citizen leaves the conference — which ends it (their endConferenceOnExit), so the
 * agent legs drop — and their <Dial> action takes them to the post-call survey.
 */
export async function hangUpCall(deps: CallControlDeps, conversation: CallConversation): Promise<void> {
  const call = await liveCall(deps.db, conversation, { needAgent: false });
  const channel = await channelOf(deps, conversation);
  for (const leg of call.legs) if (leg.role === 'agent') await markLegLeaving(deps.db, leg.id, 'hangup', null);
  await moveCaller(deps.db, conversation.id, ['conference'], 'ended');
  try {
    await channel.rest.removeParticipant(call.conference.conference_sid, call.conference.citizen_call_sid);
  } catch (error) {
    await moveCaller(deps.db, conversation.id, ['ended'], 'conference');
    throw new HubError('HUB_ERR_UNAVAILABLE', TWILIO_DOWN, { cause: error instanceof Error ? error.message : String(error) });
  }
}

function routerTarget(request: TransferRequest): TransferTarget {
  switch (request.target) {
    case 'agent':
      return { kind: 'agent', agentId: request.targetId };
    case 'queue':
      return { kind: 'queue', queueId: request.targetId };
    case 'tier2':
      return { kind: 'tier2', queueId: request.targetId };
    case 'campaign':
      return { kind: 'campaign', campaignId: request.targetId };
  }
}

/**
 * Transfer: the router's transfer (same rules, events and seat-type switch as every other conversation;
 * a tier-2 transfer needs a reason), then the citizen on hold music and the agent's leg removed.
 * The citizen stays in the conference; the connector dials whoever the router assigns next, and
 * their joining takes the citizen off hold. `transferred` + `agent_left` are stamped when the
 * agent's leg actually leaves (conference callback).
 */
export async function transferCall(deps: CallControlDeps, principal: Principal, conversation: CallConversation, request: TransferRequest): Promise<void> {
  const call = await liveCall(deps.db, conversation, { needAgent: true });
  const agentLeg = call.agentLeg;
  if (!agentLeg) throw new HubError('HUB_ERR_CONFLICT');
  const channel = await channelOf(deps, conversation);
  const effects = await transferConversation(deps.db, principal, { conversationId: conversation.id, target: routerTarget(request), reason: request.reason?.trim() ? request.reason.trim() : null });
  await markLegLeaving(deps.db, agentLeg.id, 'transfer', { target: request.target, targetId: request.targetId ?? '', byUserId: principal.userId });
  // After the commit the conversation is back in line whatever Twilio says: failures are logged,
  // and the connector still brings the next agent into the conference.
  if (!call.conference.on_hold) {
    await channel.rest
      .updateParticipant(call.conference.conference_sid, call.conference.citizen_call_sid, { hold: true, holdUrl: channel.urls.path(AGENT_ROUTES.holdMusic) })
      .catch((error: unknown) => deps.logger.warn({ err: error, conversationId: conversation.id }, 'voice transfer: citizen not put on hold'));
  }
  await channel.rest.removeParticipant(call.conference.conference_sid, agentLeg.call_sid).catch(async (error: unknown) => {
    deps.logger.warn({ err: error, conversationId: conversation.id }, 'voice transfer: agent leg not removed; hanging it up');
    await channel.rest.hangupCall(agentLeg.call_sid).catch(() => undefined);
  });
  await deps.applyEffects(effects);
}

/** Conference: a third party (E.164) dialed into the call; their join and leave are call events. */
export async function addThirdParty(deps: CallControlDeps, principal: Principal, conversation: CallConversation, to: string): Promise<{ callSid: string }> {
  const call = await liveCall(deps.db, conversation, { needAgent: true });
  const channel = await channelOf(deps, conversation);
  if (to === channel.settings.callerId) throw new HubError('HUB_ERR_VALIDATION', 'Ese número no puede agregarse a la llamada / that number cannot be added to the call');
  const legId = await insertThirdPartyLeg(deps.db, { conversationId: conversation.id, agentId: principal.userId, channelId: channel.id, citizenCallSid: call.conference.citizen_call_sid, to });
  try {
    const participant = await channel.rest.addParticipant(call.conference.name, {
      from: channel.settings.callerId,
      to,
      label: 'third_party',
      timeoutSeconds: 30,
      startConferenceOnEnter: true,
      endConferenceOnExit: false,
      statusCallback: channel.urls.path(`${AGENT_ROUTES.legStatus}?leg=${legId}`),
      conferenceStatusCallback: channel.urls.path(AGENT_ROUTES.conferenceStatus),
    });
    await setLegCallSid(deps.db, legId, participant.callSid);
    await deps.db
      .insertInto('voice_calls')
      .values({
        call_sid: participant.callSid,
        channel_id: channel.id,
        campaign_id: channel.campaignId,
        conversation_id: conversation.id,
        kind: 'third_party',
        direction: 'outbound',
        from_number: channel.settings.callerId,
        to_number: to,
        status: 'queued',
        agent_id: principal.userId,
        parent_call_sid: call.conference.citizen_call_sid,
        conference_name: call.conference.name,
        conference_sid: call.conference.conference_sid,
      })
      .onConflict((oc) => oc.column('call_sid').doUpdateSet({ kind: 'third_party', agent_id: principal.userId, parent_call_sid: call.conference.citizen_call_sid, updated_at: sql`clock_timestamp()` }))
      .execute();
    return { callSid: participant.callSid };
  } catch (error) {
    await endLeg(deps.db, legId, 'failed', 'dial_failed');
    throw new HubError('HUB_ERR_UNAVAILABLE', TWILIO_DOWN, { cause: error instanceof Error ? error.message : String(error) });
  }
}
