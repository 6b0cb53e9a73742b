import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Timestamp } from './column-types.js';

// Issue 8: voicemail and call-backs (migration 0011_voice_voicemail_callbacks).
export interface VoiceVoicemailsTable {
  id: Generated<string>;
  campaign_id: string;
  channel_id: string;
  conversation_id: string;
  folio: string;
  call_sid: string;
  recording_sid: string;
  recording_url: string;
  duration_seconds: number;
  from_number: string;
  outside_hours: ColumnType<boolean, boolean | undefined, boolean>;
  recorded_at: Timestamp;
}
export type VoiceVoicemail = Selectable<VoiceVoicemailsTable>;

export type CallbackSource = 'web' | 'api' | 'queue' | 'voicemail' | 'ivr';
export type CallbackStatus = 'pending' | 'queued' | 'dialing' | 'connected' | 'completed' | 'failed' | 'cancelled';
export interface VoiceCallbacksTable {
  id: Generated<string>;
  campaign_id: string;
  channel_id: string;
  conversation_id: string;
  source: CallbackSource;
  phone: string;
  name: string | null;
  note: string | null;
  requested_at: Timestamp;
  due_at: Timestamp;
  status: ColumnType<CallbackStatus, CallbackStatus | undefined, CallbackStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  outcome: string | null;
  last_call_sid: string | null;
  agent_id: string | null;
  origin_call_sid: string | null;
  voicemail_id: string | null;
  requested_by: string | null;
  updated_at: Timestamp;
}
export type VoiceCallback = Selectable<VoiceCallbacksTable>;

export interface VoiceVoicemailTables {
  voice_voicemails: VoiceVoicemailsTable;
  voice_callbacks: VoiceCallbacksTable;
}
