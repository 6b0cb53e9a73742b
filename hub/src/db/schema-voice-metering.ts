import type { ColumnType, Selectable } from 'kysely';
import type { Json, Timestamp } from './column-types.js';

// 0013_voice_survey_metering (issue 8 items 8–9): call usage facts and the per-leg cross-check
// with Twilio. (survey_responses.call_sid, added there too, is written with SQL by voice/survey/.)
type Int8 = ColumnType<string, number | string, number | string>;

export interface VoiceUsageFactsTable {
  call_sid: string;
  seq: number;
  campaign_id: string;
  conversation_id: string | null;
  folio: string | null;
  call_kind: string;
  concept: string;
  unit: 'second' | 'message';
  quantity: number;
  /** bigint: pg returns it as a string. */
  duration_ms: Int8;
  agent_id: string | null;
  seat_type: 'PS-I' | 'PS-P' | null;
  started_at: Timestamp;
  ended_at: Timestamp;
  detail: Json<Record<string, string | number | boolean>>;
  computed_at: Timestamp;
}
export type VoiceUsageFact = Selectable<VoiceUsageFactsTable>;

export interface VoiceCallUsageTable {
  call_sid: string;
  campaign_id: string;
  conversation_id: string | null;
  folio: string | null;
  call_kind: string;
  started_at: Timestamp;
  ended_at: Timestamp;
  our_ms: Int8;
  our_seconds: number;
  concept_seconds: number;
  twilio_seconds: number | null;
  difference_seconds: number | null;
  mismatch: boolean;
  event_count: number;
  computed_at: Timestamp;
}
export type VoiceCallUsage = Selectable<VoiceCallUsageTable>;

export interface VoiceMeteringTables {
  voice_usage_facts: VoiceUsageFactsTable;
  voice_call_usage: VoiceCallUsageTable;
}
