import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0010_voice_agent (issue 8): agent endpoints, conferences, agent legs, recordings.
export type AgentEndpointKind = 'client' | 'phone' | 'sip';
export interface VoiceAgentEndpointsTable {
  user_id: string;
  kind: AgentEndpointKind;
  address: string | null;
  updated_by: string | null;
  updated_at: Timestamp;
}

export type CallerState = 'queue' | 'joining' | 'conference' | 'ended';
export interface VoiceConferencesTable {
  conversation_id: string;
  channel_id: string;
  campaign_id: string;
  name: string;
  conference_sid: string | null;
  citizen_call_sid: string;
  caller_state: ColumnType<CallerState, CallerState | undefined, CallerState>;
  on_hold: ColumnType<boolean, boolean | undefined, boolean>;
  recording_sid: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export type VoiceConference = Selectable<VoiceConferencesTable>;

export type AgentLegState = 'dialing' | 'ringing' | 'talking' | 'ended' | 'failed';
export interface LegTransfer {
  target: 'agent' | 'queue' | 'tier2' | 'campaign';
  targetId: string;
  byUserId: string;
}
export interface VoiceAgentLegsTable {
  id: Generated<string>;
  conversation_id: string;
  offer_id: string | null;
  role: ColumnType<'agent' | 'third_party', 'agent' | 'third_party' | undefined, 'agent' | 'third_party'>;
  agent_id: string;
  channel_id: string;
  citizen_call_sid: string;
  call_sid: string | null;
  to_address: string;
  state: ColumnType<AgentLegState, AgentLegState | undefined, AgentLegState>;
  end_reason: string | null;
  transfer: Json<LegTransfer | null>;
  created_at: Timestamp;
  joined_at: NullableTimestamp;
  ended_at: NullableTimestamp;
}
export type VoiceAgentLeg = Selectable<VoiceAgentLegsTable>;

export interface VoiceRecordingsTable {
  recording_sid: string;
  call_sid: string;
  conversation_id: string;
  folio: string;
  campaign_id: string;
  channel_id: string;
  channels: ColumnType<number, number | undefined, number>;
  duration: number | null;
  url: string | null;
  status: ColumnType<string, string | undefined, string>;
  agent_ids: ColumnType<string[], string[] | undefined, string[]>;
  started_at: Timestamp;
  completed_at: NullableTimestamp;
}
export type VoiceRecording = Selectable<VoiceRecordingsTable>;

export interface VoiceAgentTables {
  voice_agent_endpoints: VoiceAgentEndpointsTable;
  voice_conferences: VoiceConferencesTable;
  voice_agent_legs: VoiceAgentLegsTable;
  voice_recordings: VoiceRecordingsTable;
}
