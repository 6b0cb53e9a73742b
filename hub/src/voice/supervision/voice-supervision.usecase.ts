import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { VoiceAgentLeg, VoiceConference } from '../../db/schema-voice-agent.js';
import type { VoiceSupervisorLeg } from '../../db/schema-voice-supervision.js';
import { HubError } from '../../errors/error-registry.js';
import type { Logger } from '../../observability/logger.js';
import type { HubContext } from '../../runtime/context.js';
import type { VoiceSupervisionInput, VoiceSupervisionMode, VoiceSupervisionPort } from '../../supervision/voice-supervision.port.js';
import { AgentVoiceChannels, type AgentVoiceChannel } from '../agent/agent-channel.js';
import { agentDialAddress } from '../agent/agent-endpoint.js';
import { conferenceOf, liveLegs, markLegLeaving } from '../agent/agent-leg.store.js';
import { AGENT_ROUTES } from '../agent/agent-twiml.js';
import { CALL_EVENT_TYPES } from '../call-events.contract.js';
import { citizenEventAppender, type AppendCitizenEvents } from './citizen-events.js';
import { participantFlags } from './supervision-modes.js';
import { SUPERVISION_ROUTES } from './supervision.webhooks.js';
import { supervisorLabel } from './supervisor-leg-events.js';
import {
  convertToAgentLeg,
  endSupervisorLeg,
  insertSupervisorLeg,
  liveSupervisorLeg,
  markSupervisorLeaving,
  setSupervisorCallSid,
  setSupervisorMode,
} from './supervisor-leg.store.js';

export interface VoiceSupervisionDeps {
  db: Kysely<Database>;
  channels: Pick<AgentVoiceChannels, 'get'>;
  logger: Pick<Logger, 'warn' | 'info'>;
  appendEvents: AppendCitizenEvents;
}

/** The port on a hub process: `createVoiceSupervision(ctx)` (see README.md for the wiring). */
export function createVoiceSupervision(ctx: HubContext): VoiceSupervisionPort {
  return new VoiceSupervision({ db: ctx.db.kysely, channels: new AgentVoiceChannels(ctx.channels, ctx.config), logger: ctx.logger, appendEvents: citizenEventAppender(ctx) });
}

const TWILIO_DOWN = 'Twilio no respondió; intente de nuevo / Twilio did not answer, try again';

interface SupervisedCall {
  conversationId: string;
  seatType: string | null;
  conference: VoiceConference & { conference_sid: string };
  agentLeg: (VoiceAgentLeg & { call_sid: string }) | null;
  channel: AgentVoiceChannel;
}

/**
 * Voice supervision over the call's conference (issue 9 item 5): the supervisor's leg is dialled
 * like an agent's (softphone, phone or SIP) into the conversation's Twilio conference, silently
 * (no beep, never starts or ends the conference), as a muted listener (monitor), a coach of the
 * agent's leg (whisper) or a full participant (barge); the mode changes on the live leg. Takeover
 * makes the supervisor's leg the call's agent leg and removes the agent's, without a gap for the
 * caller. Role, campaign and audit are the caller's (the supervision REST layer).
 */
export class VoiceSupervision implements VoiceSupervisionPort {
  constructor(private readonly deps: VoiceSupervisionDeps) {}

  async join(input: VoiceSupervisionInput & { readonly mode: VoiceSupervisionMode }): Promise<{ readonly callSid: string }> {
    const { db } = this.deps;
    const call = await this.supervisedCall(input.conversationId, { needAgent: true, refuseHold: true });
    const agentLeg = call.agentLeg;
    if (!agentLeg) throw new HubError('HUB_ERR_VOICE_SUPERVISION_NO_AGENT');
    if (agentLeg.agent_id === input.supervisorId) throw new HubError('HUB_ERR_VOICE_SUPERVISION_OWN_CALL');
    const to = await agentDialAddress(db, input.supervisorId);
    const flags = participantFlags(input.mode, agentLeg.call_sid);
    const leg = await insertSupervisorLeg(db, {
      conversationId: call.conversationId,
      supervisorId: input.supervisorId,
      channelId: call.channel.id,
      citizenCallSid: call.conference.citizen_call_sid,
      to,
      mode: input.mode,
      coachedCallSid: flags.callSidToCoach ?? null,
    });
    if (!leg) throw new HubError('HUB_ERR_VOICE_SUPERVISION_ALREADY_JOINED');
    const { channel, conference } = call;
    let callSid: string;
    try {
      const participant = await channel.rest.addParticipant(conference.conference_sid, {
        from: channel.settings.callerId,
        to,
        label: supervisorLabel(leg.id),
        timeoutSeconds: channel.settings.agentRingSeconds,
        ...flags,
        // Never heard arriving or leaving, never the one who starts or ends the citizen's call.
        beep: false,
        startConferenceOnEnter: false,
        endConferenceOnExit: false,
        statusCallback: channel.urls.path(`${SUPERVISION_ROUTES.legStatus}?leg=${leg.id}`),
        conferenceStatusCallback: channel.urls.path(AGENT_ROUTES.conferenceStatus),
      });
      callSid = participant.callSid;
    } catch (error) {
      await endSupervisorLeg(db, leg.id, 'dial_failed');
      throw new HubError('HUB_ERR_UNAVAILABLE', TWILIO_DOWN, { cause: errorText(error) });
    }
    await setSupervisorCallSid(db, leg.id, callSid);
    await db
      .insertInto('voice_calls')
      .values({
        call_sid: callSid,
        channel_id: channel.id,
        campaign_id: channel.campaignId,
        conversation_id: call.conversationId,
        kind: 'supervisor_leg',
        direction: 'outbound',
        from_number: channel.settings.callerId,
        to_number: to,
        status: 'queued',
        agent_id: input.supervisorId,
        parent_call_sid: conference.citizen_call_sid,
        conference_name: conference.name,
        conference_sid: conference.conference_sid,
      })
      // The leg's first status callback may have created the row already.
      .onConflict((oc) =>
        oc.column('call_sid').doUpdateSet({ kind: 'supervisor_leg', agent_id: input.supervisorId, parent_call_sid: conference.citizen_call_sid, conference_name: conference.name, conference_sid: conference.conference_sid }),
      )
      .execute();
    this.deps.logger.info({ conversationId: call.conversationId, supervisorId: input.supervisorId, mode: input.mode, callSid }, 'voice supervisor dialled into the conference');
    return { callSid };
  }

  async changeMode(input: VoiceSupervisionInput & { readonly mode: VoiceSupervisionMode }): Promise<void> {
    const leg = await this.liveLeg(input);
    if (leg.mode === input.mode) return;
    const call = await this.supervisedCall(input.conversationId, { needAgent: input.mode === 'whisper', refuseHold: false });
    const flags = participantFlags(input.mode, call.agentLeg?.call_sid ?? null);
    const legCallSid = leg.call_sid;
    if (legCallSid === null) throw new HubError('HUB_ERR_VOICE_SUPERVISION_NOT_ANSWERED');
    const moved = await setSupervisorMode(this.deps.db, leg, input.mode, flags.callSidToCoach ?? null);
    if (!moved) throw new HubError('HUB_ERR_CONFLICT', 'El modo de supervisión cambió al mismo tiempo; intente de nuevo / the supervision mode changed meanwhile, try again');
    try {
      await call.channel.rest.updateParticipant(call.conference.conference_sid, legCallSid, flags);
    } catch (error) {
      await setSupervisorMode(this.deps.db, moved, leg.mode, leg.coached_call_sid);
      throw new HubError('HUB_ERR_UNAVAILABLE', TWILIO_DOWN, { cause: errorText(error) });
    }
    await this.deps.appendEvents(call.conference.citizen_call_sid, [
      { type: CALL_EVENT_TYPES.supervisor_mode_changed, data: { supervisorId: input.supervisorId, supervisorCallSid: legCallSid, mode: input.mode, from: leg.mode } },
    ]);
  }

  async leave(input: VoiceSupervisionInput): Promise<void> {
    const { db } = this.deps;
    const leg = await this.liveLeg(input);
    await markSupervisorLeaving(db, leg.id, 'left');
    const legCallSid = leg.call_sid;
    if (legCallSid === null) {
      await endSupervisorLeg(db, leg.id, 'left');
      return;
    }
    const channel = await this.deps.channels.get(leg.channel_id);
    if (!channel) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND');
    const conference = await conferenceOf(db, leg.conversation_id);
    try {
      if (leg.joined_at !== null && conference?.conference_sid) await channel.rest.removeParticipant(conference.conference_sid, legCallSid);
      // Still ringing (or no conference any more): the leg is called off.
      else await channel.rest.hangupCall(legCallSid);
    } catch (error) {
      throw new HubError('HUB_ERR_UNAVAILABLE', TWILIO_DOWN, { cause: errorText(error) });
    }
    // Twilio confirmed: the supervisor is out now, whichever callback lands first (each ends the leg once).
    const ended = await endSupervisorLeg(db, leg.id, 'left');
    if (ended && ended.joined_at !== null) {
      await this.deps.appendEvents(leg.citizen_call_sid, [{ type: CALL_EVENT_TYPES.supervisor_left, data: { supervisorId: input.supervisorId, supervisorCallSid: legCallSid, reason: 'left' } }]);
    }
  }

  async assertCanTakeOver(input: VoiceSupervisionInput): Promise<{ readonly mode: VoiceSupervisionMode }> {
    const { leg } = await this.takeOverReady(input);
    return { mode: leg.mode };
  }

  async takeOver(input: VoiceSupervisionInput): Promise<void> {
    const { db, logger } = this.deps;
    const { leg, legCallSid, call, agentLeg } = await this.takeOverReady(input);
    const { channel, conference } = call;
    // First the supervisor is heard by everyone, then the agent leaves: the caller never hears a gap.
    if (leg.mode !== 'barge') {
      try {
        await channel.rest.updateParticipant(conference.conference_sid, legCallSid, participantFlags('barge', null));
      } catch (error) {
        throw new HubError('HUB_ERR_UNAVAILABLE', TWILIO_DOWN, { cause: errorText(error) });
      }
    }
    const agentLegId = await convertToAgentLeg(db, { ...leg, call_sid: legCallSid });
    if (agentLegId === null) throw new HubError('HUB_ERR_VOICE_SUPERVISION_NOT_JOINED');
    await this.deps.appendEvents(conference.citizen_call_sid, [
      { type: CALL_EVENT_TYPES.taken_over, data: { supervisorId: input.supervisorId, agentId: agentLeg.agent_id, supervisorCallSid: legCallSid, agentCallSid: agentLeg.call_sid } },
      { type: CALL_EVENT_TYPES.agent_connected, data: { agentId: input.supervisorId, seatType: call.seatType ?? '', agentCallSid: legCallSid } },
    ]);
    // The agent's leave callback stamps `agent_left` (reason takeover); the citizen is not released.
    await markLegLeaving(db, agentLeg.id, 'takeover', null);
    await channel.rest.removeParticipant(conference.conference_sid, agentLeg.call_sid).catch(async (error: unknown) => {
      logger.warn({ err: errorText(error), conversationId: call.conversationId }, 'voice takeover: agent leg not removed; hanging it up');
      await channel.rest.hangupCall(agentLeg.call_sid).catch(() => undefined);
    });
  }

  /** The answered supervisor leg and the talking agent leg a takeover needs, or the refusal. */
  private async takeOverReady(input: VoiceSupervisionInput) {
    const leg = await this.liveLeg(input);
    const legCallSid = leg.call_sid;
    if (leg.state !== 'joined' || legCallSid === null) throw new HubError('HUB_ERR_VOICE_SUPERVISION_NOT_ANSWERED');
    const call = await this.supervisedCall(input.conversationId, { needAgent: true, refuseHold: false });
    const agentLeg = call.agentLeg;
    if (!agentLeg) throw new HubError('HUB_ERR_VOICE_SUPERVISION_NO_AGENT');
    return { leg, legCallSid, call, agentLeg };
  }

  private async liveLeg(input: VoiceSupervisionInput): Promise<VoiceSupervisorLeg> {
    const leg = await liveSupervisorLeg(this.deps.db, input.conversationId, input.supervisorId);
    if (!leg) throw new HubError('HUB_ERR_VOICE_SUPERVISION_NOT_JOINED');
    return leg;
  }

  /** The call as supervision needs it, or the reason (in Spanish first) why it cannot be supervised now. */
  private async supervisedCall(conversationId: string, options: { needAgent: boolean; refuseHold: boolean }): Promise<SupervisedCall> {
    const { db } = this.deps;
    const conversation = await db
      .selectFrom('conversations as c')
      .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
      .select(['c.id', 'c.channel_id', 'c.seat_type', 'c.closed_at', 'ch.kind'])
      .where('c.id', '=', conversationId)
      .executeTakeFirst();
    if (!conversation || conversation.kind !== 'voice') throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
    const conference = await conferenceOf(db, conversationId);
    const citizen = conference ? await db.selectFrom('voice_calls').select(['ended_at']).where('call_sid', '=', conference.citizen_call_sid).executeTakeFirst() : undefined;
    if (conversation.closed_at !== null || conference?.caller_state === 'ended' || (citizen !== undefined && citizen.ended_at !== null)) {
      throw new HubError('HUB_ERR_VOICE_SUPERVISION_CALL_ENDED');
    }
    if (!conference || conference.caller_state !== 'conference' || conference.conference_sid === null) throw new HubError('HUB_ERR_VOICE_SUPERVISION_NO_AGENT');
    const talking = (await liveLegs(db, conversationId)).find((l) => l.role === 'agent' && l.state === 'talking' && l.call_sid !== null);
    const agentLeg = talking && talking.call_sid !== null ? { ...talking, call_sid: talking.call_sid } : null;
    if (options.needAgent && !agentLeg) throw new HubError('HUB_ERR_VOICE_SUPERVISION_NO_AGENT');
    if (options.refuseHold && conference.on_hold) throw new HubError('HUB_ERR_VOICE_SUPERVISION_ON_HOLD');
    const channel = await this.deps.channels.get(conversation.channel_id);
    if (!channel) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND');
    return { conversationId, seatType: conversation.seat_type, conference: { ...conference, conference_sid: conference.conference_sid }, agentLeg, channel };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
