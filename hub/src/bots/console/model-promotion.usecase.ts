import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit, type AuditAction } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';
import type { BotModelRow } from '../../db/schema-bots.js';
import { HubError } from '../../errors/error-registry.js';
import { auditActor, type ConsoleActor } from './console-actor.js';
import type { BotModelDetail } from './console.contract.js';
import { storedModel } from './model-gate.js';
import { detailOf } from './model-views.js';
import { loadModelRow, loadProductionRow, lockCampaignModels } from './models.query.js';

/**
 * Production changes (seed-digest §4.4: changes are tried first, then go live): a trained draft or
 * an archived version becomes production and the one before is archived, in one transaction so the
 * bot-first trigger never sees a campaign with no production model halfway through.
 */

export async function promoteModel(db: Kysely<Database>, campaignId: string, modelId: string, actor: ConsoleActor): Promise<BotModelDetail> {
  return db.transaction().execute(async (trx) => {
    await lockCampaignModels(trx, campaignId);
    const target = await loadModelRow(trx, campaignId, modelId, { forUpdate: true });
    return makeProduction(trx, target, actor, 'bot_model.promoted');
  });
}

/** The version that was in production before the current one goes back (409 HUB_ERR_BOT_NO_PREVIOUS when none). */
export async function rollbackModel(db: Kysely<Database>, campaignId: string, actor: ConsoleActor): Promise<BotModelDetail> {
  return db.transaction().execute(async (trx) => {
    await lockCampaignModels(trx, campaignId);
    const current = await loadProductionRow(trx, campaignId);
    if (!current?.promoted_at) throw new HubError('HUB_ERR_BOT_NO_PREVIOUS');
    const previous = await trx
      .selectFrom('bot_models')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'archived')
      .where('promoted_at', '<', current.promoted_at)
      .orderBy('promoted_at', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    if (!previous) throw new HubError('HUB_ERR_BOT_NO_PREVIOUS');
    return makeProduction(trx, previous, actor, 'bot_model.rolled_back');
  });
}

async function makeProduction(trx: Transaction<Database>, target: BotModelRow, actor: ConsoleActor, action: AuditAction): Promise<BotModelDetail> {
  if (target.status === 'production') throw new HubError('HUB_ERR_BOT_ALREADY_PRODUCTION');
  if (target.trained === null || target.training === null) throw new HubError('HUB_ERR_BOT_NOT_TRAINED');
  const previous = await trx
    .updateTable('bot_models')
    .set({ status: 'archived', updated_at: sql`clock_timestamp()` })
    .where('campaign_id', '=', target.campaign_id)
    .where('status', '=', 'production')
    .returning(['id', 'version'])
    .executeTakeFirst();
  const row = await trx
    .updateTable('bot_models')
    .set({ status: 'production', promoted_at: sql`clock_timestamp()`, promoted_by: actor.userId, updated_at: sql`clock_timestamp()` })
    .where('id', '=', target.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    action,
    ...auditActor(actor),
    targetType: 'bot_model',
    targetId: row.id,
    campaignId: row.campaign_id,
    details: { version: row.version, fromStatus: target.status, previousId: previous?.id ?? null, previousVersion: previous?.version ?? null },
  });
  return detailOf(row, storedModel(row.model));
}
