import type { BotModel } from '@ventanilla/bots';
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';
import type { BotModelRow } from '../../db/schema-bots.js';
import { HubError } from '../../errors/error-registry.js';
import { auditActor, type ConsoleActor } from './console-actor.js';
import type { BotModelDetail, CreateDraftRequest, ImportModelRequest } from './console.contract.js';
import { EMPTY_MODEL_INPUT, parseModelOrThrow, storedModel } from './model-gate.js';
import { detailOf } from './model-views.js';
import { assertCampaignExists, insertNextDraft, loadModelRow, loadProductionRow } from './models.query.js';

/** Versions of a campaign's bot model: drafts are created, edited and imported here (issue 7 item 5). */

export async function getModel(db: Kysely<Database>, campaignId: string, modelId: string): Promise<BotModelDetail> {
  const row = await loadModelRow(db, campaignId, modelId);
  return detailOf(row, storedModel(row.model));
}

/** A new draft copied from `fromModelId` (a version of this campaign), else production, else an empty model. */
export async function createDraft(db: Kysely<Database>, campaignId: string, request: CreateDraftRequest, actor: ConsoleActor): Promise<BotModelDetail> {
  await assertCampaignExists(db, campaignId);
  return db.transaction().execute(async (trx) => {
    const source = request.fromModelId ? await loadModelRow(trx, campaignId, request.fromModelId) : await loadProductionRow(trx, campaignId);
    const { row, model } = await insertDraftCopy(trx, campaignId, source, { note: request.note ?? null, actor });
    return detailOf(row, model);
  });
}

/** The next version as a draft copy of `source` (an empty model without one), audited; `reason` says why when the console made it on its own. */
export async function insertDraftCopy(
  trx: Transaction<Database>,
  campaignId: string,
  source: BotModelRow | undefined,
  options: { note: string | null; actor: ConsoleActor; reason?: string },
): Promise<{ row: BotModelRow; model: BotModel }> {
  const model = source ? storedModel(source.model) : parseModelOrThrow(EMPTY_MODEL_INPUT);
  const row = await insertNextDraft(trx, { campaignId, model, note: options.note, userId: options.actor.userId });
  await recordAudit(trx, {
    action: 'bot_model.created',
    ...auditActor(options.actor),
    targetType: 'bot_model',
    targetId: row.id,
    campaignId,
    details: { version: row.version, fromModelId: source?.id ?? null, fromVersion: source?.version ?? null, ...(options.reason ? { reason: options.reason } : {}) },
  });
  return { row, model };
}

/** Replaces a draft's model (UpdateDraftRequest; the model is unknown until the gate has read it); the training goes (it was of the old text), so the draft is trained again. */
export async function updateDraft(db: Kysely<Database>, campaignId: string, modelId: string, request: { model: unknown; note?: string | undefined }, actor: ConsoleActor): Promise<BotModelDetail> {
  const model = parseModelOrThrow(request.model);
  return db.transaction().execute(async (trx) => {
    const before = await loadModelRow(trx, campaignId, modelId, { forUpdate: true });
    if (before.status !== 'draft') throw new HubError('HUB_ERR_BOT_MODEL_NOT_DRAFT');
    const row = await trx
      .updateTable('bot_models')
      .set({
        model: JSON.stringify(model),
        trained: null,
        training: null,
        ...(request.note === undefined ? {} : { note: request.note }),
        updated_at: sql`clock_timestamp()`,
      })
      .where('id', '=', modelId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'bot_model.updated',
      ...auditActor(actor),
      targetType: 'bot_model',
      targetId: modelId,
      campaignId,
      details: { version: row.version, intents: model.intents.length, wasTrained: before.trained !== null },
    });
    return detailOf(row, model);
  });
}

/** An exported model (ours or another campaign's) as a new draft, through the same gate as an edit. */
export async function importModel(db: Kysely<Database>, campaignId: string, request: ImportModelRequest, actor: ConsoleActor): Promise<BotModelDetail> {
  const model = parseModelOrThrow(request.model);
  await assertCampaignExists(db, campaignId);
  return db.transaction().execute(async (trx) => {
    const row = await insertNextDraft(trx, { campaignId, model, note: request.note ?? null, userId: actor.userId });
    await recordAudit(trx, {
      action: 'bot_model.imported',
      ...auditActor(actor),
      targetType: 'bot_model',
      targetId: row.id,
      campaignId,
      details: { version: row.version, name: model.name, intents: model.intents.length },
    });
    return detailOf(row, model);
  });
}

/** The model JSON exactly as stored (the institution owns it: seed-digest §4.4); the download is audited. */
export async function exportModel(db: Kysely<Database>, campaignId: string, modelId: string, actor: ConsoleActor): Promise<{ model: BotModel; version: number }> {
  const row = await loadModelRow(db, campaignId, modelId);
  await recordAudit(db, {
    action: 'bot_model.exported',
    ...auditActor(actor),
    targetType: 'bot_model',
    targetId: modelId,
    campaignId,
    details: { version: row.version },
  });
  return { model: storedModel(row.model), version: row.version };
}
