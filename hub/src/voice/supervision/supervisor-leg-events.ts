import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { VoiceConference } from '../../db/schema-voice-agent.js';
import type { VoiceSupervisorLeg } from '../../db/schema-voice-supervision.js';
import type { Logger } from '../../observability/logger.js';
import type { AgentVoiceChannel } from '../agent/agent-channel.js';
import type { Emit, EventIo } from '../agent/conference-events.js';
import { CALL_EVENT_TYPES } from '../call-events.contract.js';
import { participantFlags } from './supervision-modes.js';
import { endSupervisorLeg, markSupervisorJoined, setSupervisorCallSid, setSupervisorMode, supervisorLegByCallSid, supervisorLegById } from './supervisor-leg.store.js';

export interface SupervisorEventDeps {
  db: Kysely<Database>;
  logger: Pick<Logger, 'warn'>;
}

/** The label a supervisor's participant gets: Twilio posts it with every conference event of that leg. */
export function supervisorLabel(legId: string): string {
  return `supervisor-${legId}`;
}
const LABEL = /^supervisor-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** A leg joined the conference: `supervisor_joined` once, whichever of its callbacks comes first. */
export async function supervisorJoined(db: Kysely<Database>, leg: VoiceSupervisorLeg, callSid: string, emit: Emit): Promise<void> {
  const joined = await markSupervisorJoined(db, leg.id);
  if (joined) emit(CALL_EVENT_TYPES.supervisor_joined, { supervisorId: joined.supervisor_id, supervisorCallSid: callSid, mode: joined.mode });
}

/** A leg left: ended once; `supervisor_left` only for a leg that had been in the call. */
export async function supervisorLeft(db: Kysely<Database>, leg: VoiceSupervisorLeg, reason: string, emit: Emit): Promise<void> {
  const ended = await endSupervisorLeg(db, leg.id, reason);
  if (!ended || ended.joined_at === null) return;
  emit(CALL_EVENT_TYPES.supervisor_left, { supervisorId: ended.supervisor_id, supervisorCallSid: ended.call_sid ?? '', reason: ended.end_reason ?? reason });
}

/**
 * Conference callbacks of a supervisor's leg (they arrive at the agent part's conference route,
 * which asks here first): join / leave become `supervisor_joined` / `supervisor_left`; mute and
 * coaching changes need nothing. Returns false for any other participant, and for a leg taken
 * over — that one is an agent leg now and the agent part's bookkeeping applies. An agent leg that
 * leaves while supervisors coach it turns those whispers into monitors (nobody left to coach).
 */
export async function onSupervisorConferenceEvent(
  deps: SupervisorEventDeps,
  channel: AgentVoiceChannel,
  conference: VoiceConference,
  input: { event: string; callSid: string | null; label: string | null },
  io: EventIo,
): Promise<boolean> {
  const { db } = deps;
  const leg = await legOf(db, input);
  if (!leg || leg.conversation_id !== conference.conversation_id) {
    if (input.event === 'participant-leave' && input.callSid !== null) await orphanedWhispers(deps, channel, conference, input.callSid, io);
    return false;
  }
  if (leg.state === 'taken_over') return false;
  const callSid = input.callSid ?? leg.call_sid;
  if (callSid === null) return true;
  if (leg.call_sid === null) await setSupervisorCallSid(db, leg.id, callSid);
  if (input.event === 'participant-join') await supervisorJoined(db, leg, callSid, io.emit);
  if (input.event === 'participant-leave') {
    const citizen = await db.selectFrom('voice_conferences').select('caller_state').where('conversation_id', '=', conference.conversation_id).executeTakeFirst();
    await supervisorLeft(db, { ...leg, call_sid: callSid }, citizen?.caller_state === 'ended' ? 'citizen_hangup' : 'hangup', io.emit);
  }
  return true;
}

async function legOf(db: Kysely<Database>, input: { callSid: string | null; label: string | null }): Promise<VoiceSupervisorLeg | null> {
  const byLabel = input.label === null ? null : LABEL.exec(input.label);
  if (byLabel?.[1]) return supervisorLegById(db, byLabel[1]);
  return input.callSid === null ? null : supervisorLegByCallSid(db, input.callSid);
}

async function orphanedWhispers(deps: SupervisorEventDeps, channel: AgentVoiceChannel, conference: VoiceConference, leftCallSid: string, io: EventIo): Promise<void> {
  const whispers = await deps.db
    .selectFrom('voice_supervisor_legs')
    .selectAll()
    .where('conversation_id', '=', conference.conversation_id)
    .where('coached_call_sid', '=', leftCallSid)
    .where('ended_at', 'is', null)
    .execute();
  const conferenceSid = conference.conference_sid;
  for (const leg of whispers) {
    const moved = await setSupervisorMode(deps.db, leg, 'monitor', null);
    const sid = leg.call_sid;
    if (!moved || sid === null || conferenceSid === null) continue;
    io.emit(CALL_EVENT_TYPES.supervisor_mode_changed, { supervisorId: leg.supervisor_id, supervisorCallSid: sid, mode: 'monitor', from: leg.mode });
    io.later(() =>
      channel.rest.updateParticipant(conferenceSid, sid, participantFlags('monitor', null)).catch((error: unknown) => {
        deps.logger.warn({ err: error, conversationId: conference.conversation_id }, 'voice supervision: whisper not switched to monitor after the agent left');
      }),
    );
  }
}
