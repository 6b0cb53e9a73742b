import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { VoiceConference } from '../../db/schema-voice-agent.js';
import type { Logger } from '../../observability/logger.js';
import type { AgentVoiceChannel } from '../agent/agent-channel.js';
import { participantFlags } from './supervision-modes.js';
import { setSupervisorMode } from './supervisor-leg.store.js';

/**
 * A new agent joined a call a supervisor is whispering on (a transfer, a queue's next agent): the
 * coach follows the call to them — `callSidToCoach` is re-pointed to the new agent's leg, so the
 * whisper keeps reaching whoever talks to the citizen and never the citizen. The row changes first
 * (once, whichever callback comes first); Twilio is told after the webhook's work (`later`).
 */
export async function whisperFollowsAgent(
  deps: { db: Kysely<Database>; logger: Pick<Logger, 'warn'> },
  channel: AgentVoiceChannel,
  conference: VoiceConference,
  agentCallSid: string,
  later: (job: () => Promise<void>) => void,
): Promise<void> {
  const conferenceSid = conference.conference_sid;
  if (conferenceSid === null) return;
  const whispering = await deps.db
    .selectFrom('voice_supervisor_legs')
    .selectAll()
    .where('conversation_id', '=', conference.conversation_id)
    .where('mode', '=', 'whisper')
    .where('ended_at', 'is', null)
    .execute();
  for (const leg of whispering) {
    const legCallSid = leg.call_sid;
    if (legCallSid === null || leg.coached_call_sid === agentCallSid) continue;
    if (!(await setSupervisorMode(deps.db, leg, 'whisper', agentCallSid))) continue;
    later(() =>
      channel.rest.updateParticipant(conferenceSid, legCallSid, participantFlags('whisper', agentCallSid)).catch((error: unknown) => {
        deps.logger.warn({ err: error, conversationId: conference.conversation_id, supervisorId: leg.supervisor_id }, 'voice whisper: the coach could not follow the new agent');
      }),
    );
  }
}
