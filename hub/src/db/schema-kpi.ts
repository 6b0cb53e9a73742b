import type { ColumnType, Selectable } from 'kysely';
import type { NullableTimestamp, Timestamp } from './column-types.js';

// 0014_kpi_facts (issue 9 item 1): facts derived from interaction_events by kpi/facts/.
/** bigint: pg returns it as a string. */
type Int8 = ColumnType<string, number | string, number | string>;
/** bigint with a default: optional on insert. */
type DefaultInt8 = ColumnType<string, number | string | undefined, number | string>;
type NullableInt8 = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export interface KpiContactFactsTable {
  conversation_id: string;
  campaign_id: string;
  channel_id: string | null;
  channel_kind: string | null;
  channel_class: string | null;
  folio: string | null;
  queue_id: string | null;
  received_at: NullableTimestamp;
  offered_at: NullableTimestamp;
  answered_at: NullableTimestamp;
  answer_wait_ms: NullableInt8;
  abandoned_at: NullableTimestamp;
  abandon_wait_ms: NullableInt8;
  first_response_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  talk_ms: Int8;
  hold_ms: Int8;
  /** Filled after the upsert from kpi_agent_intervals (see kpi/facts/fact-store.ts). */
  acw_ms: DefaultInt8;
  transfers: number;
  tier2_transferred: boolean;
  tier2_reason: string | null;
  survey_offered: boolean;
  survey_answered: boolean;
  first_agent_id: string | null;
  agent_ids: string[];
  updated_from_event_id: Int8;
  // 0020_kpi_aggregates: the citizen, when the conversation opened, reopened after a resolution (FCR).
  contact_id: string | null;
  opened_at: NullableTimestamp;
  reopened: ColumnType<boolean, boolean | undefined, boolean>;
  /** The same citizen's first other conversation in the campaign opened after resolved_at (fact-store.ts refreshNextOpened). */
  next_opened_at: NullableTimestamp;
}
export type KpiContactFact = Selectable<KpiContactFactsTable>;

export interface KpiAgentIntervalsTable {
  start_event_id: Int8;
  campaign_id: string;
  agent_id: string;
  state: string;
  reason: string | null;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  end_event_id: NullableInt8;
}
export type KpiAgentInterval = Selectable<KpiAgentIntervalsTable>;

/** 0020_kpi_aggregates: one closed talk / hold span of one agent on one contact. */
export interface KpiAgentSegmentsTable {
  conversation_id: string;
  seq: number;
  campaign_id: string;
  agent_id: string;
  kind: 'talk' | 'hold';
  channel_class: 'voice' | 'text' | 'email';
  started_at: Timestamp;
  ended_at: Timestamp;
}
export type KpiAgentSegment = Selectable<KpiAgentSegmentsTable>;

export interface KpiCursorTable {
  name: string;
  last_event_id: Int8;
  gap_event_id: NullableInt8;
  gap_seen_at: NullableTimestamp;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface KpiTables {
  kpi_contact_facts: KpiContactFactsTable;
  kpi_agent_intervals: KpiAgentIntervalsTable;
  kpi_agent_segments: KpiAgentSegmentsTable;
  kpi_cursor: KpiCursorTable;
}
