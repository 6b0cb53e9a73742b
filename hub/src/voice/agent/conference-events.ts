import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { VoiceAgentLeg, VoiceConference } from '../../db/schema-voice-agent.js';
import type { Logger } from '../../observability/logger.js';
import { CALL_EVENT_TYPES } from '../call-events.contract.js';
import type { AgentVoiceChannel } from './agent-channel.js';
import {
  agentsWhoJoined,
  claimRecording,
  endLeg,
  legByCallSid,
  liveLegs,
  moveCaller,
  setLegState,
  setOnHold,
  setRecordingSid,
} from './agent-leg.store.js';
import { AGENT_ROUTES } from './agent-twiml.js';
import { whisperFollowsAgent } from '../supervision/whisper-follows-agent.js';

/** Appends one call event to the citizen's record (the webhook saves it afterwards). */
export type Emit = (type: string, data: Record<string, string>) => void;

/**
 * What a handler may do: append events (under the citizen's per-call lock) and schedule Twilio
 * requests for after the lock is released — Twilio may post this very call's next callback
 * before it answers the request, and that callback needs the lock.
 */
export interface EventIo {
  emit: Emit;
  later(work: () => Promise<void>): void;
  /** Appends events in a lock of their own (for work scheduled with `later`). */
  emitLater(type: string, data: Record<string, string>): Promise<void>;
}

export interface ConferenceEventDeps {
  db: Kysely<Database>;
  logger: Pick<Logger, 'warn'>;
}

/**
 * Twilio's conference status callbacks (participant-join / -leave / -hold / -unhold,
 * conference-end) turned into the contract's call events on the citizen's record: the moments
 * talk and hold time are measured between (call-events.contract.ts).
 */
export async function onConferenceEvent(
  deps: ConferenceEventDeps,
  channel: AgentVoiceChannel,
  conference: VoiceConference,
  input: { event: string; callSid: string | null },
  io: EventIo,
): Promise<void> {
  const { db } = deps;
  const emit = io.emit;
  const isCitizen = input.callSid !== null && input.callSid === conference.citizen_call_sid;
  switch (input.event) {
    case 'participant-join': {
      if (isCitizen) {
        await moveCaller(db, conference.conversation_id, ['queue', 'joining'], 'conference');
        return;
      }
      const leg = await legOf(db, input.callSid);
      if (!leg) return unknownLeg(deps, conference, input);
      const joined = await setLegState(db, leg.id, 'talking');
      if (!joined) return;
      if (leg.role === 'third_party') {
        emit(CALL_EVENT_TYPES.participant_joined, { callSid: input.callSid ?? '', role: 'third_party' });
        return;
      }
      const conversation = await db.selectFrom('conversations').select(['seat_type']).where('id', '=', conference.conversation_id).executeTakeFirst();
      emit(CALL_EVENT_TYPES.agent_connected, { agentId: leg.agent_id, seatType: conversation?.seat_type ?? '', agentCallSid: input.callSid ?? '' });
      if (input.callSid !== null) await whisperFollowsAgent(deps, channel, conference, input.callSid, (job) => io.later(job));
      // The citizen waited on hold music since a transfer: the new agent takes them off hold.
      const conferenceSid = conference.conference_sid;
      if (conference.on_hold && conferenceSid) {
        io.later(() =>
          channel.rest.updateParticipant(conferenceSid, conference.citizen_call_sid, { hold: false }).catch((error: unknown) => {
            deps.logger.warn({ err: error, conversationId: conference.conversation_id }, 'voice: citizen could not be taken off hold');
          }),
        );
      }
      if (channel.settings.recording && (await claimRecording(db, conference.conversation_id, conference.citizen_call_sid))) {
        io.later(() => startRecording(deps, channel, conference, io));
      }
      return;
    }
    case 'participant-hold':
    case 'participant-unhold': {
      if (!isCitizen) return;
      const hold = input.event === 'participant-hold';
      if (!(await setOnHold(db, conference.conversation_id, hold))) return;
      const talking = (await liveLegs(db, conference.conversation_id)).find((l) => l.role === 'agent' && l.state === 'talking');
      emit(hold ? CALL_EVENT_TYPES.hold : CALL_EVENT_TYPES.unhold, { agentId: talking?.agent_id ?? '' });
      return;
    }
    case 'participant-leave': {
      if (isCitizen) {
        await moveCaller(db, conference.conversation_id, ['queue', 'joining', 'conference'], 'ended');
        // Nobody to talk to any more: legs still ringing are called off, not left to join an empty room.
        for (const ringing of await liveLegs(db, conference.conversation_id)) {
          const sid = ringing.call_sid;
          if (ringing.joined_at === null && sid !== null) io.later(() => channel.rest.hangupCall(sid).catch(() => undefined));
        }
        return;
      }
      const leg = await legOf(db, input.callSid);
      if (!leg) return unknownLeg(deps, conference, input);
      await legLeft(deps, channel, conference, leg, io);
      return;
    }
    case 'conference-end': {
      for (const leg of await liveLegs(db, conference.conversation_id)) {
        if (leg.state === 'talking') await legLeft(deps, channel, conference, leg, io, 'conference_end');
      }
      await moveCaller(db, conference.conversation_id, ['conference'], 'ended');
      return;
    }
    default:
      return; // conference-start, mute…: nothing billable
  }
}

/**
 * A leg that was in the conference left. An agent: `transferred` (when a transfer sent them) and
 * `agent_left`; when the last agent hung up on their own, the citizen is released from the
 * conference so their call goes on to the survey instead of staying in silence.
 */
export async function legLeft(deps: ConferenceEventDeps, channel: AgentVoiceChannel, conference: VoiceConference, leg: VoiceAgentLeg, io: EventIo, fallbackReason?: string): Promise<void> {
  const { db } = deps;
  const emit = io.emit;
  const citizenGone = (await db.selectFrom('voice_conferences').select('caller_state').where('conversation_id', '=', conference.conversation_id).executeTakeFirst())?.caller_state === 'ended';
  const ended = await endLeg(db, leg.id, 'ended', fallbackReason ?? (citizenGone ? 'citizen_hangup' : 'hangup'));
  if (!ended || ended.joined_at === null) return;
  if (ended.role === 'third_party') {
    emit(CALL_EVENT_TYPES.participant_left, { callSid: ended.call_sid ?? '', role: 'third_party' });
    return;
  }
  const reason = ended.end_reason ?? 'hangup';
  if (ended.transfer) emit(CALL_EVENT_TYPES.transferred, { agentId: ended.agent_id, target: ended.transfer.target, targetId: ended.transfer.targetId });
  emit(CALL_EVENT_TYPES.agent_left, { agentId: ended.agent_id, reason });
  const conferenceSid = conference.conference_sid;
  if (reason !== 'hangup' || citizenGone || !conferenceSid) return;
  const others = (await liveLegs(db, conference.conversation_id)).filter((l) => l.role === 'agent');
  if (others.length > 0) return;
  io.later(() =>
    channel.rest.removeParticipant(conferenceSid, conference.citizen_call_sid).catch((error: unknown) => {
      deps.logger.warn({ err: error, conversationId: conference.conversation_id }, 'voice: citizen could not be released after the agent hung up');
    }),
  );
}

/** Runs after the lock (a Twilio request); claimed once per citizen call by `claimRecording`. */
async function startRecording(deps: ConferenceEventDeps, channel: AgentVoiceChannel, conference: VoiceConference, io: EventIo): Promise<void> {
  const { db } = deps;
  try {
    const { recordingSid } = await channel.rest.startRecording(conference.citizen_call_sid, { channels: 'dual', statusCallback: channel.urls.path(AGENT_ROUTES.recordingStatus) });
    await setRecordingSid(db, conference.conversation_id, recordingSid);
    const conversation = await db.selectFrom('conversations').select(['folio', 'campaign_id']).where('id', '=', conference.conversation_id).executeTakeFirstOrThrow();
    await db
      .insertInto('voice_recordings')
      .values({
        recording_sid: recordingSid,
        call_sid: conference.citizen_call_sid,
        conversation_id: conference.conversation_id,
        folio: conversation.folio,
        campaign_id: conversation.campaign_id,
        channel_id: conference.channel_id,
        channels: 2,
        status: 'in-progress',
        agent_ids: await agentsWhoJoined(db, conference.conversation_id),
      })
      .onConflict((oc) => oc.column('recording_sid').doNothing())
      .execute();
    await io.emitLater(CALL_EVENT_TYPES.recording_started, { recordingSid, channels: 'dual' });
  } catch (error) {
    await setRecordingSid(db, conference.conversation_id, null);
    deps.logger.warn({ err: error, conversationId: conference.conversation_id }, 'voice: recording could not be started');
  }
}

/** The leg's CallSid is stored right after Twilio answers the REST call; its first callbacks may race that write. */
async function legOf(db: Kysely<Database>, callSid: string | null): Promise<VoiceAgentLeg | null> {
  if (callSid === null) return null;
  for (let attempt = 0; attempt < 15; attempt++) {
    const leg = await legByCallSid(db, callSid);
    if (leg) return leg;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

function unknownLeg(deps: ConferenceEventDeps, conference: VoiceConference, input: { event: string; callSid: string | null }): void {
  deps.logger.warn({ conversationId: conference.conversation_id, ...input }, 'voice: conference event for a leg the hub did not dial (ignored)');
}
