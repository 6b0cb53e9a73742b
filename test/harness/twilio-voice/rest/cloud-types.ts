import type { TwimlNode } from './twiml-tree.js';

/** How a call the cloud places (REST `Calls.json`, `Participants.json` or a `<Dial>` noun) behaves. */
export type CallBehaviour =
  | {
      answer: true;
      /** Ringing time before the answer (real milliseconds). Default 0. */
      afterMs?: number;
      /** Answers to successive <Gather>s, in order; a `{ speech }` entry is said instead of keyed. */
      digits?: Array<string | { speech: string }>;
      /** With MachineDetection: what Twilio's detection reports (default `human`). */
      answeredBy?: 'human' | 'machine_start' | 'machine_end_beep' | 'fax' | 'unknown';
      /** Seconds each <Record> of this call lasts (default 5). */
      recordSeconds?: number;
      /** How a <Record> ends: the finish key (`#`, default) or the caller hanging up. */
      recordEndsWith?: 'key' | 'hangup';
    }
  | { answer: false; status: 'no-answer' | 'busy' | 'failed'; afterMs?: number };

export type CallStatus = 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export type CallDirection = 'inbound' | 'outbound-api' | 'outbound-dial';

/** One REST request the hub made. `form` holds the last value of each field, `formAll` every value. */
export interface CloudRequest {
  method: string;
  path: string;
  form: Record<string, string>;
  formAll: Record<string, string[]>;
  status: number;
}

/** One webhook the cloud posted, and the answer. */
export interface CloudWebhook {
  kind: 'twiml' | 'action' | 'status' | 'conference' | 'recording' | 'wait' | 'hold';
  callSid: string;
  url: string;
  method: 'GET' | 'POST';
  params: Record<string, string>;
  status: number;
  body: string;
  error?: string;
}

export interface CloudParticipant {
  callSid: string;
  label: string | null;
  hold: boolean;
  muted: boolean;
  coaching: boolean;
  callSidToCoach: string | null;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  /** Twilio's `Beep` (default `true`: a beep to the room on entering and on leaving). */
  beep: 'true' | 'false' | 'onEnter' | 'onExit';
  /** Joined through `<Dial><Conference>` (goes on with its TwiML when it leaves) or the Participants API (hangs up). */
  via: 'twiml' | 'api';
  joinedAt: number;
}

export interface CloudConference {
  sid: string;
  name: string;
  status: 'init' | 'in-progress' | 'completed';
  participants: Map<string, CloudParticipant>;
  /** Everyone who was ever in it, in join order. */
  history: string[];
  statusCallback: string | null;
  statusCallbackEvents: Set<string>;
  sequence: number;
  createdAt: number;
  reasonEnded: string | null;
  callSidEndingConference: string | null;
  /** Every beep the room heard: whose entering or leaving, and who was there to hear it. */
  beeps: Array<{ callSid: string; on: 'enter' | 'exit'; heardBy: string[]; at: number }>;
  /** Who heard whom after each change (join, leave, start, mute, hold, coaching): `audibility.ts`. */
  audio: Array<{ at: number; event: string; callSid: string | null; hears: Record<string, string[]> }>;
}

/** A recording started with `Calls/{sid}/Recordings.json` or a `<Record>`. */
export interface CloudRecording {
  sid: string;
  callSid: string;
  channels: number;
  source: 'StartCallRecordingAPI' | 'RecordVerb' | 'DialVerb';
  status: 'in-progress' | 'completed' | 'absent';
  startedAt: number;
  duration: number | null;
  statusCallback: string | null;
  statusCallbackEvents: Set<string>;
}

export interface CloudCall {
  sid: string;
  parentCallSid: string | null;
  from: string;
  to: string;
  direction: CallDirection;
  status: CallStatus;
  /** The TwiML URL fetched when answered (REST calls), or the last document fetched. */
  url: string | null;
  statusCallback: string | null;
  statusCallbackEvents: Set<string>;
  machineDetection: boolean;
  answeredBy: string | null;
  /** The conference the call is in now (friendly name). */
  conference: string | null;
  /** The queue the call waits in now. */
  queue: string | null;
  /** Texts of <Say> and URLs of <Play>, in the order the party heard them. */
  heard: string[];
  /** Every TwiML document this call executed: the URL and its verbs. */
  twimlLog: Array<{ url: string; verbs: TwimlNode[] }>;
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  duration: number | null;
  sequence: number;
}
