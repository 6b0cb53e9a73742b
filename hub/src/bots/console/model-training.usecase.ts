import type { BotModel } from '@ventanilla/bots';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { auditActor, type ConsoleActor } from './console-actor.js';
import type { BotModelDetail } from './console.contract.js';
import { storedModel } from './model-gate.js';
import { detailOf } from './model-views.js';
import { loadModelRow } from './models.query.js';
import { trainInThread } from './train-in-thread.js';

/** Drafts of this process being trained: a second click while the first runs gets 409, not a second thread. */
const inTraining = new Set<string>();

/**
 * Trains a draft and stores NLP.js's export with the cross-validation report. The result is written
 * only if the draft is still the text that was trained (same updated_at): an edit made meanwhile,
 * here or in another hub process, wins and the stale training is refused with 409.
 */
export async function trainDraft(db: Kysely<Database>, campaignId: string, modelId: string, actor: ConsoleActor): Promise<BotModelDetail> {
  const before = await loadModelRow(db, campaignId, modelId);
  if (before.status !== 'draft') throw new HubError('HUB_ERR_BOT_MODEL_NOT_DRAFT');
  const model = storedModel(before.model);
  assertTrainable(model);
  if (inTraining.has(modelId)) throw new HubError('HUB_ERR_BOT_TRAINING');
  inTraining.add(modelId);
  try {
    const { trained, report } = await trainInThread(model);
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('bot_models')
        .set({ trained, training: JSON.stringify(report) })
        .where('id', '=', modelId)
        .where('status', '=', 'draft')
        .where('updated_at', '=', before.updated_at)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new HubError('HUB_ERR_BOT_TRAINING');
      await recordAudit(trx, {
        action: 'bot_model.trained',
        ...auditActor(actor),
        targetType: 'bot_model',
        targetId: modelId,
        campaignId,
        details: { version: row.version, accuracy: report.accuracy, folds: report.folds, durationMs: report.durationMs },
      });
      return detailOf(row, model);
    });
  } finally {
    inTraining.delete(modelId);
  }
}

/** NLP.js cannot learn from nothing: say so in the trainer's terms instead of failing inside it. */
function assertTrainable(model: BotModel): void {
  const withPhrases = model.intents.filter((intent) => intent.phrases.es.length + intent.phrases.en.length > 0);
  if (withPhrases.length === 0) {
    throw new HubError('HUB_ERR_BOT_MODEL_INVALID', 'Agregue al menos una intención con frases de entrenamiento / add at least one intent with training phrases', {
      problems: [{ path: 'intents', message: 'Agregue al menos una intención con frases de entrenamiento / add at least one intent with training phrases' }],
    });
  }
}
