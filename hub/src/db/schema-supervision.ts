import type { Generated, Selectable } from 'kysely';
import type { NullableTimestamp, Timestamp } from './column-types.js';

// 0018_supervision (issue 9 item 5): monitor / whisper / barge / takeover.
export type SupervisionModeColumn = 'monitor' | 'whisper' | 'barge';

export interface SupervisionSessionsTable {
  id: Generated<string>;
  conversation_id: string;
  campaign_id: string;
  supervisor_id: string;
  agent_id: string | null;
  mode: Generated<SupervisionModeColumn>;
  call_sid: string | null;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  end_cause: 'stopped' | 'takeover' | null;
}
export type SupervisionSession = Selectable<SupervisionSessionsTable>;

export interface SupervisionWhispersTable {
  id: Generated<string>;
  conversation_id: string;
  campaign_id: string;
  supervisor_id: string;
  agent_id: string;
  body: string;
  created_at: Timestamp;
}
export type SupervisionWhisper = Selectable<SupervisionWhispersTable>;

export interface SupervisionTakeoversTable {
  id: Generated<string>;
  conversation_id: string;
  campaign_id: string;
  supervisor_id: string;
  from_agent_id: string;
  reason_code: string;
  reason_text: string | null;
  created_at: Timestamp;
}

export interface SupervisionTables {
  supervision_sessions: SupervisionSessionsTable;
  supervision_whispers: SupervisionWhispersTable;
  supervision_takeovers: SupervisionTakeoversTable;
}
