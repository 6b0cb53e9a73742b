import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0009_voice (issue 8): IVR models and Twilio call legs.
export type IvrModelStatus = 'draft' | 'production' | 'archived';
export interface IvrModelsTable {
  id: Generated<string>;
  campaign_id: string;
  version: number;
  status: ColumnType<IvrModelStatus, IvrModelStatus | undefined, IvrModelStatus>;
  tree: Json<unknown>;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  promoted_at: NullableTimestamp;
  promoted_by: string | null;
}
export type IvrModel = Selectable<IvrModelsTable>;

export type VoiceCallKind = 'inbound' | 'agent_leg' | 'callback' | 'blaster' | 'supervisor_leg' | 'third_party';
export interface VoiceCallsTable {
  call_sid: string;
  channel_id: string;
  campaign_id: string;
  conversation_id: string | null;
  kind: ColumnType<VoiceCallKind, VoiceCallKind | undefined, VoiceCallKind>;
  direction: ColumnType<'inbound' | 'outbound', 'inbound' | 'outbound' | undefined, 'inbound' | 'outbound'>;
  from_number: string;
  to_number: string;
  status: string;
  ivr_state: Json<unknown | null>;
  outcome: Json<unknown | null>;
  event_count: Generated<number>;
  agent_id: string | null;
  parent_call_sid: string | null;
  conference_name: string | null;
  conference_sid: string | null;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  twilio_duration: number | null;
  updated_at: Timestamp;
}
export type VoiceCall = Selectable<VoiceCallsTable>;

export interface VoiceCoreTables {
  ivr_models: IvrModelsTable;
  voice_calls: VoiceCallsTable;
}
