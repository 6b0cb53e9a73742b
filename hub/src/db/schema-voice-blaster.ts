import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0012_voice_blaster (issue 8 item 7): outbound automated voice-message campaigns.
export type VoiceBlastStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';
export type VoiceBlastAction = 'agent' | 'confirm' | 'decline' | 'repeat' | 'optout';
export type VoiceBlastMachinePolicy = 'leave_message' | 'hang_up';

export interface VoiceBlastsTable {
  id: Generated<string>;
  campaign_id: string;
  channel_id: string;
  name: string;
  message_text: string | null;
  audio_url: string | null;
  options: Json<Record<string, VoiceBlastAction>>;
  queue_id: string | null;
  status: ColumnType<VoiceBlastStatus, VoiceBlastStatus | undefined, VoiceBlastStatus>;
  start_at: NullableTimestamp;
  window_start_minute: number | null;
  window_end_minute: number | null;
  calls_per_minute: ColumnType<number, number | undefined, number>;
  max_concurrent: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  retry_delay_seconds: ColumnType<number, number | undefined, number>;
  machine_policy: ColumnType<VoiceBlastMachinePolicy, VoiceBlastMachinePolicy | undefined, VoiceBlastMachinePolicy>;
  last_dial_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  updated_at: Timestamp;
}
export type VoiceBlast = Selectable<VoiceBlastsTable>;

export type VoiceBlastRecipientStatus =
  | 'pending'
  | 'calling'
  | 'answered'
  | 'confirmed'
  | 'declined'
  | 'transferred'
  | 'no_answer'
  | 'busy'
  | 'failed'
  | 'machine'
  | 'opted_out'
  | 'invalid';
export interface VoiceBlastRecipientsTable {
  id: Generated<string>;
  blast_id: string;
  line: number;
  phone: string;
  name: string | null;
  variables: Json<Record<string, string>>;
  status: ColumnType<VoiceBlastRecipientStatus, VoiceBlastRecipientStatus | undefined, VoiceBlastRecipientStatus>;
  digits: string | null;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  call_sid: string | null;
  in_call: Generated<boolean>;
  call_started_at: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export type VoiceBlastRecipient = Selectable<VoiceBlastRecipientsTable>;

export interface VoiceDoNotCallTable {
  campaign_id: string;
  phone: string;
  blast_id: string | null;
  at: Timestamp;
}

export interface VoiceBlasterTables {
  voice_blasts: VoiceBlastsTable;
  voice_blast_recipients: VoiceBlastRecipientsTable;
  voice_do_not_call: VoiceDoNotCallTable;
}
