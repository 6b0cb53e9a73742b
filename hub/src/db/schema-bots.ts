import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './column-types.js';

// 0008_bots (issue 7): bot models, sessions, turns, outcomes.
export type BotModelStatus = 'draft' | 'production' | 'archived';
export interface BotTrainingReport {
  durationMs: number;
  /** Cross-validated accuracy (0–1) over the model's own phrases. */
  accuracy: number;
  folds: number;
  perIntent: Record<string, { correct: number; total: number }>;
  trainedAt: string;
}
export interface BotModelsTable {
  id: Generated<string>;
  campaign_id: string;
  version: number;
  status: ColumnType<BotModelStatus, BotModelStatus | undefined, BotModelStatus>;
  /** bots' BotModel JSON (bots/src/model.schema.ts), validated before it is stored. */
  model: Json<unknown>;
  trained: string | null;
  training: Json<BotTrainingReport | null>;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  promoted_at: NullableTimestamp;
  promoted_by: string | null;
}

export interface BotSessionsTable {
  id: Generated<string>;
  conversation_id: string;
  campaign_id: string;
  model_id: string;
  /** bots' BotSessionState. */
  state: Json<unknown>;
  /** bots' HandoffSummary, set at handoff. */
  summary: Json<unknown | null>;
  started_at: Timestamp;
  updated_at: Timestamp;
  ended_at: NullableTimestamp;
}

export type BotAnsweredBy = 'intent' | 'flow' | 'kb' | 'fallback' | 'handoff';
export type BotTurnReview = 'none' | 'pending' | 'added' | 'dismissed';
export interface BotTurnsTable {
  id: Generated<string>;
  session_id: string;
  conversation_id: string;
  campaign_id: string;
  model_id: string;
  message_id: string | null;
  utterance: string;
  language: ColumnType<'es' | 'en', 'es' | 'en' | undefined, 'es' | 'en'>;
  intent: string | null;
  score: ColumnType<number, number | undefined, number>;
  entities: Json<unknown[]>;
  answered_by: BotAnsweredBy;
  kb_article_id: string | null;
  review: ColumnType<BotTurnReview, BotTurnReview | undefined, BotTurnReview>;
  reviewed_by: string | null;
  reviewed_at: NullableTimestamp;
  created_at: Timestamp;
}

export type BotOutcome = 'resolved' | 'handed_off' | 'wrong' | 'cut_off';
/** seed-digest §5.4: the share of a bot event's price each outcome earns. */
export const BOT_OUTCOME_WEIGHT_PCT: Readonly<Record<BotOutcome, number>> = { resolved: 100, handed_off: 30, wrong: 0, cut_off: 30 };
export interface BotOutcomesTable {
  id: Generated<string>;
  session_id: string;
  conversation_id: string;
  campaign_id: string;
  channel_id: string;
  model_id: string;
  intent: string | null;
  outcome: BotOutcome;
  weight_pct: number;
  reason: string | null;
  turn_id: string | null;
  decided_by: string | null;
  superseded_by: string | null;
  decided_at: Timestamp;
}

export type BotModelRow = Selectable<BotModelsTable>;
export type BotSessionRow = Selectable<BotSessionsTable>;
export type BotTurnRow = Selectable<BotTurnsTable>;
export type BotOutcomeRow = Selectable<BotOutcomesTable>;
