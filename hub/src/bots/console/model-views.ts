import type { BotModel } from '@ventanilla/bots';
import type { BotModelRow } from '../../db/schema-bots.js';
import type { BotModelDetail, BotModelSummary, TrainingReportView } from './console.contract.js';

/** A version's row without the model JSON or NLP.js's export (both can be megabytes). */
export type ModelMeta = Omit<BotModelRow, 'trained' | 'model'>;

/** What a summary shows of the model itself, computed in SQL for lists (models.query.ts). */
export interface ModelCounts {
  name: string;
  intents: number;
  phrases: number;
}

export function countsOf(model: BotModel): ModelCounts {
  const phrases = model.intents.reduce((sum, intent) => sum + intent.phrases.es.length + intent.phrases.en.length, 0);
  return { name: model.name, intents: model.intents.length, phrases };
}

function trainingView(training: BotModelRow['training']): TrainingReportView | null {
  if (!training) return null;
  return { durationMs: training.durationMs, accuracy: training.accuracy, folds: training.folds, perIntent: training.perIntent, trainedAt: training.trainedAt };
}

export function summaryOf(row: ModelMeta, counts: ModelCounts): BotModelSummary {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    version: row.version,
    status: row.status,
    name: counts.name,
    intents: counts.intents,
    phrases: counts.phrases,
    note: row.note,
    training: trainingView(row.training),
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    promotedAt: row.promoted_at ? row.promoted_at.toISOString() : null,
  };
}

export function detailOf(row: ModelMeta, model: BotModel): BotModelDetail {
  return { ...summaryOf(row, countsOf(model)), model };
}
