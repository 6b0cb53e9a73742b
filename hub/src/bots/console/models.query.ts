import type { BotModel } from '@ventanilla/bots';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BotModelRow } from '../../db/schema-bots.js';
import { HubError } from '../../errors/error-registry.js';
import type { BotModelSummary } from './console.contract.js';
import { summaryOf } from './model-views.js';

type Db = Kysely<Database> | Transaction<Database>;

const META = ['id', 'campaign_id', 'version', 'status', 'training', 'note', 'created_by', 'created_at', 'updated_at', 'promoted_at', 'promoted_by'] as const;

/** Every version of the campaign's model, newest first; counts come from SQL so no model JSON travels. */
export async function listModels(db: Db, campaignId: string): Promise<BotModelSummary[]> {
  const rows = await db
    .selectFrom('bot_models')
    .select(META)
    .select([
      sql<string>`coalesce(model->>'name', '')`.as('name'),
      sql<number>`coalesce(jsonb_array_length(model->'intents'), 0)`.as('intent_count'),
      sql<number>`(SELECT coalesce(sum(coalesce(jsonb_array_length(i->'phrases'->'es'), 0) + coalesce(jsonb_array_length(i->'phrases'->'en'), 0)), 0)::int
                     FROM jsonb_array_elements(model->'intents') AS i)`.as('phrase_count'),
    ])
    .where('campaign_id', '=', campaignId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((row) => summaryOf(row, { name: row.name, intents: row.intent_count, phrases: row.phrase_count }));
}

/** One version of this campaign (a model id of another campaign is as unknown as a made-up one). */
export async function loadModelRow(db: Db, campaignId: string, modelId: string, options: { forUpdate?: boolean } = {}): Promise<BotModelRow> {
  let query = db.selectFrom('bot_models').selectAll().where('id', '=', modelId).where('campaign_id', '=', campaignId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_BOT_MODEL_NOT_FOUND');
  return row;
}

export async function loadProductionRow(db: Db, campaignId: string): Promise<BotModelRow | undefined> {
  return db.selectFrom('bot_models').selectAll().where('campaign_id', '=', campaignId).where('status', '=', 'production').executeTakeFirst();
}

/** The campaign's newest draft, locked: edits from the unmatched inbox land there. */
export async function loadNewestDraftForUpdate(trx: Transaction<Database>, campaignId: string): Promise<BotModelRow | undefined> {
  return trx
    .selectFrom('bot_models')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'draft')
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Inserts the campaign's next version as a draft. Version numbers are per campaign: a
 * transaction-scoped advisory lock on the campaign serialises concurrent creations, so two
 * trainers clicking "nuevo borrador" at once get versions n and n+1 instead of a unique violation.
 */
export async function insertNextDraft(
  trx: Transaction<Database>,
  input: { campaignId: string; model: BotModel; note: string | null; userId: string },
): Promise<BotModelRow> {
  await lockCampaignModels(trx, input.campaignId);
  const last = await trx.selectFrom('bot_models').select((eb) => eb.fn.max('version').as('version')).where('campaign_id', '=', input.campaignId).executeTakeFirst();
  return trx
    .insertInto('bot_models')
    .values({
      campaign_id: input.campaignId,
      version: (last?.version ?? 0) + 1,
      status: 'draft',
      model: JSON.stringify(input.model),
      note: input.note,
      created_by: input.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Version numbers and promotions of one campaign are serialised on this transaction-scoped lock. */
export async function lockCampaignModels(trx: Transaction<Database>, campaignId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`bot_models:${campaignId}`}, 0))`.execute(trx);
}

/** The campaign must exist (a 404 beats a foreign-key error on the first draft of a made-up campaign). */
export async function assertCampaignExists(db: Db, campaignId: string): Promise<void> {
  const row = await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
}
