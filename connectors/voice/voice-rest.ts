import twilio from 'twilio';
import { TwilioBaseUrlClient } from '../sms/twilio-base-url-client.js';

/**
 * What the hub asks of Twilio's REST API for calls (issue 8): outbound legs (agents, call-backs,
 * the blaster), redirecting a live call to new TwiML, hanging up, dual-channel recording, and
 * conference participants (hold, coach, add, remove). One port, implemented with the twilio SDK
 * (`createTwilioVoiceRest`); tests point `apiBaseUrl` at the harness, which speaks the same
 * documented JSON (test/harness/twilio-voice/).
 */
export interface VoiceRest {
  /** POST /Calls.json — the new leg's CallSid (CA…). Twilio fetches `url` when it answers. */
  createCall(input: CreateCallInput): Promise<{ callSid: string }>;
  /** POST /Calls/{sid}.json Url=… — the live call leaves its current TwiML (e.g. <Enqueue>) for `url`. */
  redirectCall(callSid: string, url: string): Promise<void>;
  /** POST /Calls/{sid}.json Status=completed. Already finished → no error. */
  hangupCall(callSid: string): Promise<void>;
  /** POST /Calls/{sid}/Recordings.json RecordingChannels=dual: caller and the other side on separate channels. */
  startRecording(callSid: string, input: { channels: 'dual' | 'mono'; statusCallback: string }): Promise<{ recordingSid: string }>;
  /** POST /Conferences/{nameOrSid}/Participants.json — dials `to` into the conference (created if needed). */
  addParticipant(conference: string, input: AddParticipantInput): Promise<{ callSid: string; conferenceSid: string | null }>;
  /** POST /Conferences/{CF…}/Participants/{CA…}.json — hold (with music), mute, coach. */
  updateParticipant(conferenceSid: string, callSid: string, input: UpdateParticipantInput): Promise<void>;
  /** DELETE /Conferences/{CF…}/Participants/{CA…}.json — the leg leaves (and hangs up). */
  removeParticipant(conferenceSid: string, callSid: string): Promise<void>;
}

export interface CreateCallInput {
  to: string;
  from: string;
  url: string;
  statusCallback: string;
  /** Seconds to let it ring (Twilio default 60). */
  timeoutSeconds?: number;
  /** Answering-machine detection (blaster): AnsweredBy arrives with the url request. */
  machineDetection?: boolean;
}

export interface AddParticipantInput {
  from: string;
  to: string;
  statusCallback: string;
  label?: string;
  timeoutSeconds?: number;
  /** A coach (whisper): only `callSidToCoach` hears them. */
  coaching?: boolean;
  callSidToCoach?: string;
  muted?: boolean;
  /** Twilio beeps when a participant enters and leaves unless `beep=false` (a supervisor joins silently). */
  beep?: boolean;
  startConferenceOnEnter?: boolean;
  endConferenceOnExit?: boolean;
  /** Conference events (start, end, join, leave, hold) are posted here. */
  conferenceStatusCallback?: string;
}

export interface UpdateParticipantInput {
  hold?: boolean;
  holdUrl?: string;
  muted?: boolean;
  coaching?: boolean;
  callSidToCoach?: string;
}

/** A Twilio REST error: its HTTP status and Twilio error code (20404 not found, 21220 call not in progress…). */
export class VoiceRestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: number | null,
  ) {
    super(message);
    this.name = 'VoiceRestError';
  }

  /** Network errors, 429 and 5xx may succeed later; 4xx will not. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

const TIMEOUT_MS = 10_000;
const CALL_EVENTS = ['initiated', 'ringing', 'answered', 'completed'];
const CONFERENCE_EVENTS = ['start', 'end', 'join', 'leave', 'hold', 'mute'];

/** The SDK behind the port; `apiBaseUrl` overrides https://api.twilio.com (the harness, a proxy). */
export function createTwilioVoiceRest(settings: { accountSid: string; authToken: string; apiBaseUrl?: string }): VoiceRest {
  const client = twilio(settings.accountSid, settings.authToken, {
    httpClient: new TwilioBaseUrlClient(settings.apiBaseUrl, TIMEOUT_MS),
    autoRetry: false,
  });
  return {
    async createCall(input) {
      const call = await wrap(() =>
        client.calls.create({
          to: input.to,
          from: input.from,
          url: input.url,
          method: 'POST',
          statusCallback: input.statusCallback,
          statusCallbackMethod: 'POST',
          statusCallbackEvent: CALL_EVENTS,
          ...(input.timeoutSeconds !== undefined ? { timeout: input.timeoutSeconds } : {}),
          ...(input.machineDetection ? { machineDetection: 'Enable' } : {}),
        }),
      );
      return { callSid: call.sid };
    },
    async redirectCall(callSid, url) {
      await wrap(() => client.calls(callSid).update({ url, method: 'POST' }));
    },
    async hangupCall(callSid) {
      try {
        await wrap(() => client.calls(callSid).update({ status: 'completed' }));
      } catch (error) {
        // 21220: "Call is not in-progress. Cannot redirect." — it already ended: what we wanted.
        if (error instanceof VoiceRestError && (error.code === 21220 || error.status === 404)) return;
        throw error;
      }
    },
    async startRecording(callSid, input) {
      const recording = await wrap(() =>
        client.calls(callSid).recordings.create({
          recordingChannels: input.channels,
          recordingStatusCallback: input.statusCallback,
          recordingStatusCallbackMethod: 'POST',
          recordingStatusCallbackEvent: ['completed', 'absent'],
        }),
      );
      return { recordingSid: recording.sid };
    },
    async addParticipant(conference, input) {
      const participant = await wrap(() =>
        client.conferences(conference).participants.create({
          from: input.from,
          to: input.to,
          statusCallback: input.statusCallback,
          statusCallbackMethod: 'POST',
          statusCallbackEvent: CALL_EVENTS,
          ...(input.label !== undefined ? { label: input.label } : {}),
          ...(input.timeoutSeconds !== undefined ? { timeout: input.timeoutSeconds } : {}),
          ...(input.coaching !== undefined ? { coaching: input.coaching } : {}),
          ...(input.callSidToCoach !== undefined ? { callSidToCoach: input.callSidToCoach } : {}),
          ...(input.muted !== undefined ? { muted: input.muted } : {}),
          ...(input.beep !== undefined ? { beep: input.beep ? 'true' : 'false' } : {}),
          ...(input.startConferenceOnEnter !== undefined ? { startConferenceOnEnter: input.startConferenceOnEnter } : {}),
          ...(input.endConferenceOnExit !== undefined ? { endConferenceOnExit: input.endConferenceOnExit } : {}),
          ...(input.conferenceStatusCallback !== undefined
            ? { conferenceStatusCallback: input.conferenceStatusCallback, conferenceStatusCallbackMethod: 'POST', conferenceStatusCallbackEvent: CONFERENCE_EVENTS }
            : {}),
        }),
      );
      return { callSid: participant.callSid, conferenceSid: participant.conferenceSid ?? null };
    },
    async updateParticipant(conferenceSid, callSid, input) {
      await wrap(() =>
        client
          .conferences(conferenceSid)
          .participants(callSid)
          .update({
            ...(input.hold !== undefined ? { hold: input.hold } : {}),
            ...(input.holdUrl !== undefined ? { holdUrl: input.holdUrl, holdMethod: 'POST' } : {}),
            ...(input.muted !== undefined ? { muted: input.muted } : {}),
            ...(input.coaching !== undefined ? { coaching: input.coaching } : {}),
            ...(input.callSidToCoach !== undefined ? { callSidToCoach: input.callSidToCoach } : {}),
          }),
      );
    },
    async removeParticipant(conferenceSid, callSid) {
      try {
        await wrap(() => client.conferences(conferenceSid).participants(callSid).remove());
      } catch (error) {
        if (error instanceof VoiceRestError && error.status === 404) return; // already gone
        throw error;
      }
    },
  };
}

/** The SDK throws RestException (status, code, message) or a network error: one error type for callers. */
async function wrap<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VoiceRestError) throw error;
    const status = numberField(error, 'status') ?? 0;
    const code = numberField(error, 'code');
    const message = error instanceof Error ? error.message : String(error);
    throw new VoiceRestError(`Twilio: ${message}`, status, code);
  }
}

function numberField(value: unknown, key: string): number | null {
  if (typeof value !== 'object' || value === null || !(key in value)) return null;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'number' ? field : null;
}
