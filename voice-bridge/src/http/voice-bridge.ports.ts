/**
 * What the voice webhooks need from the hub, as ports (issue 8): channels, the call store, the
 * IVR context, the router's queue and wait estimate. Nothing in voice-bridge/ knows the database.
 */
import type { IvrContext, IvrInterpreter, IvrOutcome, IvrState } from '../ivr/ivr.contract.js';

export interface VoiceChannel {
  id: string;
  campaignId: string;
  accountSid: string;
  authToken: string;
  interpreter: IvrInterpreter;
  /**
   * The base URL Twilio is given for this channel (signatures are computed on it, TwiML URLs are
   * built from it). Absent: `VoiceBridgePorts.publicUrl`.
   */
  publicUrl?: string;
}

export interface CallEvent {
  at: string;
  type: string;
  data: Record<string, string>;
}

export interface CallRecord {
  callSid: string;
  channelId: string;
  from: string;
  to: string;
  state: IvrState | null;
  /** Twilio's CallStatus (ringing, in-progress, completed, busy, no-answer, failed, canceled). */
  status: string;
  outcome: IvrOutcome | null;
  events: CallEvent[];
  /** Set by the hub once the call has a conversation (queued, voicemail, call-back): its id and folio. */
  conversationId?: string | null;
  folio?: string | null;
  /** Which leg this is (default inbound): the hub's voice_calls.kind. */
  kind?: 'inbound' | 'agent_leg' | 'callback' | 'blaster' | 'supervisor_leg' | 'third_party';
}

export interface CallStore {
  get(callSid: string): Promise<CallRecord | null>;
  save(call: CallRecord): Promise<void>;
  /**
   * Runs `work` holding the call's lock across processes (webhooks of one call may reach different
   * hub processes). Absent: the plugin's in-process serialization only.
   */
  withLock?<T>(callSid: string, work: () => Promise<T>): Promise<T>;
}

/** Where a call was put in line: Twilio's queue name and, when the hub knows it, its queue. */
export interface EnqueueResult {
  queueName: string;
  queueId?: string;
}

export interface VoiceBridgePorts {
  /** The base URL Twilio calls (signatures are computed on it) unless the channel has its own. Read on every request. */
  publicUrl: string;
  channel(channelId: string): Promise<VoiceChannel | null>;
  calls: CallStore;
  /** The campaign's calendar, folio lookup and id checks; `actionUrl` is replaced by the plugin's own. */
  context(channel: VoiceChannel, call: CallRecord): IvrContext;
  /**
   * The IVR ended in a queue: the hub puts the call in line (a conversation with a folio; it sets
   * `call.conversationId`/`call.folio`) and returns the Twilio queue name.
   */
  enqueue(channel: VoiceChannel, call: CallRecord, outcome: Extract<IvrOutcome, { type: 'queue' }>): Promise<EnqueueResult>;
  /** The IVR sends the caller to another campaign's line. Absent: the caller hears an apology. */
  transferCampaign?(channel: VoiceChannel, call: CallRecord, outcome: Extract<IvrOutcome, { type: 'transfer_campaign' }>): Promise<EnqueueResult>;
  /** Position and estimated wait for the wait announcement (the hub's router; Twilio's figures as a fallback). */
  waitInfo(
    channel: VoiceChannel,
    call: CallRecord,
    twilio: { queuePosition?: number; queueTime?: number; avgQueueTime?: number },
  ): Promise<{ position: number; estimatedWaitSeconds: number | null }>;
  log?: { warn(obj: object, msg: string): void };
}
