import type { SupervisorLegMode } from '../../db/schema-voice-supervision.js';

/** The participant flags Twilio needs for each mode (create and update take the same names). */
export interface ParticipantFlags {
  muted: boolean;
  coaching: boolean;
  callSidToCoach?: string;
}

/**
 * Who hears the supervisor, as Twilio's conference documents it: a muted participant hears
 * everyone and nobody hears them (monitor); a coach is heard only by `callSidToCoach` (whisper,
 * the agent's leg); a plain participant is heard by all (barge). The supervisor hears everyone in
 * every mode. Coaching must be switched off explicitly when leaving whisper, and Twilio refuses
 * coaching without the call to coach.
 */
export function participantFlags(mode: SupervisorLegMode, agentCallSid: string | null): ParticipantFlags {
  switch (mode) {
    case 'monitor':
      return { muted: true, coaching: false };
    case 'whisper':
      if (agentCallSid === null) throw new Error('whisper needs the agent leg to coach');
      return { muted: false, coaching: true, callSidToCoach: agentCallSid };
    case 'barge':
      return { muted: false, coaching: false };
  }
}
