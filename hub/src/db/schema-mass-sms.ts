import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0007_mass_sms (issue 6 item 4): SMS opt-outs and mass SMS.
export interface SmsOptOutsTable {
  channel_id: string;
  phone: string;
  keyword: string;
  at: Timestamp;
}

/** The same life cycle as a mass mailing (mass_mailings.status). */
export type MassSmsStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled';
export interface MassSmsTable {
  id: Generated<string>;
  campaign_id: string;
  channel_id: string;
  name: string;
  body: string;
  status: ColumnType<MassSmsStatus, MassSmsStatus | undefined, MassSmsStatus>;
  scheduled_at: NullableTimestamp;
  rate_per_minute: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  retry_delay_seconds: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  updated_at: Timestamp;
}

export type MassSmsRecipientStatus = 'pending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'opted_out' | 'invalid';
export interface MassSmsRecipientsTable {
  id: Generated<string>;
  mass_sms_id: string;
  phone: string;
  name: string | null;
  variables: Json<Record<string, string>>;
  status: ColumnType<MassSmsRecipientStatus, MassSmsRecipientStatus | undefined, MassSmsRecipientStatus>;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  provider_message_id: string | null;
  error_code: string | null;
  error: string | null;
  sent_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
  failed_at: NullableTimestamp;
  created_at: Timestamp;
}

export type MassSms = Selectable<MassSmsTable>;
export type MassSmsRecipient = Selectable<MassSmsRecipientsTable>;
