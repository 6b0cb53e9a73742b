import twilio from 'twilio';
import type { VoiceWebhookUrls } from '@ventanilla/voice-bridge';

/** Conference events the hub follows (participant timestamps feed talk and hold time). */
export const CONFERENCE_STATUS_EVENTS = 'start end join leave hold';

export const AGENT_ROUTES = {
  callerJoin: 'agent/caller-join',
  holdMusic: 'agent/hold-music',
  conferenceStatus: 'agent/conference-status',
  legStatus: 'agent/leg-status',
  recordingStatus: 'agent/recording-status',
  surveyStart: 'survey/start',
} as const;

export interface CitizenConferenceInput {
  conferenceName: string;
  urls: VoiceWebhookUrls;
  /** Spoken before joining (es-MX), e.g. a call-back's greeting. */
  say?: string;
}

/**
 * Appends the citizen's side of the conference: the citizen waits on music until an agent enters
 * (startConferenceOnEnter=false) and, hanging up, ends it for everyone (endConferenceOnExit) — so
 * the agent's leg ends with the call (issue 8 item 4, task §7). An agent leaving does not end it:
 * between agents (transfer, no answer) the citizen stays on the line. After the conference, the
 * Dial action is the post-call survey (the metering part's route). Call-back legs use the same verbs (exported for them).
 */
export function appendCitizenConference(response: InstanceType<typeof twilio.twiml.VoiceResponse>, input: CitizenConferenceInput): void {
  if (input.say) response.say({ language: 'es-MX' }, input.say);
  const dial = response.dial({ action: input.urls.path(AGENT_ROUTES.surveyStart), method: 'POST' });
  dial.conference(
    {
      startConferenceOnEnter: false,
      endConferenceOnExit: true,
      beep: 'false',
      waitUrl: input.urls.path(AGENT_ROUTES.holdMusic),
      waitMethod: 'POST',
      statusCallback: input.urls.path(AGENT_ROUTES.conferenceStatus),
      statusCallbackMethod: 'POST',
      statusCallbackEvent: ['start', 'end', 'join', 'leave', 'hold'],
    },
    input.conferenceName,
  );
}

export function citizenConferenceTwiml(input: CitizenConferenceInput): string {
  const response = new twilio.twiml.VoiceResponse();
  appendCitizenConference(response, input);
  return response.toString();
}

/**
 * What the citizen hears while waiting for an agent in the conference (its waitUrl) and on hold
 * (the participant's holdUrl): TwiML around the music file, so both are signed webhooks we answer.
 */
export function holdMusicTwiml(holdMusicUrl: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.play({ loop: 0 }, holdMusicUrl);
  return response.toString();
}
