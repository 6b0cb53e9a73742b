import type { ColumnType, Generated, Selectable } from 'kysely';
import type { NullableTimestamp, Timestamp } from './column-types.js';

// 0022_voice_supervision (issue 9 item 5): the supervisor's leg in a call's conference.
export type SupervisorLegMode = 'monitor' | 'whisper' | 'barge';
export type SupervisorLegState = 'dialing' | 'ringing' | 'joined' | 'taken_over' | 'ended' | 'failed';

export interface VoiceSupervisorLegsTable {
  id: Generated<string>;
  conversation_id: string;
  supervisor_id: string;
  channel_id: string;
  citizen_call_sid: string;
  call_sid: string | null;
  to_address: string;
  mode: SupervisorLegMode;
  coached_call_sid: string | null;
  state: ColumnType<SupervisorLegState, SupervisorLegState | undefined, SupervisorLegState>;
  end_reason: string | null;
  agent_leg_id: string | null;
  created_at: Timestamp;
  joined_at: NullableTimestamp;
  ended_at: NullableTimestamp;
}
export type VoiceSupervisorLeg = Selectable<VoiceSupervisorLegsTable>;

export interface VoiceSupervisionTables {
  voice_supervisor_legs: VoiceSupervisorLegsTable;
}
