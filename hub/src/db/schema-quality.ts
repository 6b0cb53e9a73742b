import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0017_quality (issue 9 item 8): monthly quality samples and scorecards.
export interface ScorecardItem {
  id: string;
  label: string;
  /** Points of 100; the items' weights sum to 100. */
  weight: number;
  /** Failing a critical item scores the whole evaluation 0. */
  critical: boolean;
}
export interface EvaluationAnswer {
  met: boolean;
  comment?: string;
}

/** numeric: pg returns it as a string. */
type Numeric = ColumnType<string, number | string, number | string>;

export interface QualityScorecardsTable {
  id: Generated<string>;
  campaign_id: string;
  name: string;
  version: number;
  status: 'draft' | 'active' | 'archived';
  items: Json<ScorecardItem[]>;
  created_by: string | null;
  created_at: Timestamp;
}
export type QualityScorecard = Selectable<QualityScorecardsTable>;

export interface QualitySamplesTable {
  id: Generated<string>;
  campaign_id: string;
  channel_kind: string;
  /** 'YYYY-MM' in the campaign's time zone. */
  month: string;
  sample_size: number;
  population: number;
  seed: string;
  drawn_by: string | null;
  drawn_at: Timestamp;
}
export type QualitySample = Selectable<QualitySamplesTable>;

export interface QualitySampleItemsTable {
  sample_id: string;
  conversation_id: string;
  position: number;
  analyst_id: string | null;
  assigned_at: NullableTimestamp;
}

export interface QualityEvaluationsTable {
  id: Generated<string>;
  sample_id: string;
  conversation_id: string;
  scorecard_id: string;
  analyst_id: string;
  agent_id: string | null;
  answers: Json<Record<string, EvaluationAnswer>>;
  score: Numeric;
  comments: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export type QualityEvaluation = Selectable<QualityEvaluationsTable>;

export interface QualityTables {
  quality_scorecards: QualityScorecardsTable;
  quality_samples: QualitySamplesTable;
  quality_sample_items: QualitySampleItemsTable;
  quality_evaluations: QualityEvaluationsTable;
}
