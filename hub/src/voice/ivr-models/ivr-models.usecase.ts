import { sql, type Kysely, type Transaction } from 'kysely';
import { parseIvrTreeText, validateIvrTree, type IvrTreeProblem } from '@ventanilla/voice-bridge';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';
import type { IvrModel } from '../../db/schema-voice.js';
import { HubError } from '../../errors/error-registry.js';

/**
 * IVR trees per campaign, versioned like the bot's models (issue 8 item 2; bots/console): one
 * draft is edited, one production version answers calls, promoting archives the previous one.
 * Every tree is validated (`validateIvrTree`) before it is stored: a bad tree never reaches a
 * caller, and the admin gets the Spanish problems with where they are.
 */
export interface IvrModelActor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
}

export interface IvrModelSummary {
  id: string;
  campaignId: string;
  version: number;
  status: IvrModel['status'];
  name: string;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  promotedAt: string | null;
}

export interface IvrModelDetail extends IvrModelSummary {
  tree: unknown;
}

export type DraftInput = { tree: unknown; treeText?: undefined; note?: string | null | undefined } | { tree?: undefined; treeText: string; note?: string | null | undefined };

export function summaryOf(row: IvrModel): IvrModelSummary {
  const tree = row.tree;
  const name = typeof tree === 'object' && tree !== null && 'name' in tree && typeof tree.name === 'string' ? tree.name : '';
  return {
    id: row.id,
    campaignId: row.campaign_id,
    version: row.version,
    status: row.status,
    name,
    note: row.note,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    promotedAt: row.promoted_at?.toISOString() ?? null,
  };
}

export function detailOf(row: IvrModel): IvrModelDetail {
  return { ...summaryOf(row), tree: row.tree };
}

export async function listIvrModels(db: Kysely<Database>, campaignId: string): Promise<IvrModelSummary[]> {
  const rows = await db.selectFrom('ivr_models').selectAll().where('campaign_id', '=', campaignId).orderBy('version', 'desc').execute();
  return rows.map(summaryOf);
}

export async function loadIvrModel(db: Kysely<Database> | Transaction<Database>, modelId: string): Promise<IvrModel> {
  const row = await db.selectFrom('ivr_models').selectAll().where('id', '=', modelId).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_IVR_MODEL_NOT_FOUND');
  return row;
}

function invalid(problems: IvrTreeProblem[]): HubError {
  const listed = problems.slice(0, 10).map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`));
  return new HubError('HUB_ERR_IVR_MODEL_INVALID', `El menú telefónico tiene ${problems.length} problema${problems.length === 1 ? '' : 's'}: ${listed.join(' · ')}`, { problems });
}

/** The campaign's draft, created (next version number) or replaced; 400 with the problems when the tree is not valid. */
export async function saveIvrDraft(db: Kysely<Database>, campaignId: string, input: DraftInput, actor: IvrModelActor): Promise<{ created: boolean; model: IvrModelDetail }> {
  const checked = input.treeText !== undefined ? parseIvrTreeText(input.treeText) : validateIvrTree(input.tree);
  if (!checked.ok) throw invalid(checked.problems);
  return db.transaction().execute(async (trx) => {
    // One writer per campaign at a time: version numbers and the single draft stay consistent.
    const campaign = await trx.selectFrom('campaigns').select('id').where('id', '=', campaignId).forUpdate().executeTakeFirst();
    if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
    const draft = await trx.selectFrom('ivr_models').select('id').where('campaign_id', '=', campaignId).where('status', '=', 'draft').executeTakeFirst();
    const tree = JSON.stringify(checked.tree);
    const note = input.note ?? null;
    let row: IvrModel;
    if (draft) {
      row = await trx.updateTable('ivr_models').set({ tree, note, updated_at: sql`clock_timestamp()` }).where('id', '=', draft.id).returningAll().executeTakeFirstOrThrow();
    } else {
      const last = await trx.selectFrom('ivr_models').select(sql<number>`coalesce(max(version), 0)`.as('v')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
      row = await trx
        .insertInto('ivr_models')
        .values({ campaign_id: campaignId, version: Number(last.v) + 1, status: 'draft', tree, note, created_by: actor.userId })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    await recordAudit(trx, {
      action: 'ivr_model.draft_saved',
      actorUserId: actor.userId,
      targetType: 'ivr_model',
      targetId: row.id,
      campaignId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { version: row.version, created: !draft, name: checked.tree.name, nodes: Object.keys(checked.tree.nodes).length },
    });
    return { created: !draft, model: detailOf(row) };
  });
}

/** The draft goes to production; the previous production version is archived. */
export async function promoteIvrModel(db: Kysely<Database>, modelId: string, actor: IvrModelActor): Promise<{ model: IvrModelDetail; archivedId: string | null }> {
  return db.transaction().execute(async (trx) => {
    const target = await loadIvrModel(trx, modelId);
    await trx.selectFrom('campaigns').select('id').where('id', '=', target.campaign_id).forUpdate().executeTakeFirstOrThrow();
    const locked = await trx.selectFrom('ivr_models').selectAll().where('id', '=', modelId).forUpdate().executeTakeFirstOrThrow();
    if (locked.status !== 'draft') throw new HubError('HUB_ERR_IVR_MODEL_NOT_DRAFT');
    // Stored trees were validated on save; checked again in case the validator grew stricter since.
    const checked = validateIvrTree(locked.tree);
    if (!checked.ok) throw invalid(checked.problems);
    const archived = await trx
      .updateTable('ivr_models')
      .set({ status: 'archived', updated_at: sql`clock_timestamp()` })
      .where('campaign_id', '=', locked.campaign_id)
      .where('status', '=', 'production')
      .returning(['id', 'version'])
      .executeTakeFirst();
    const row = await trx
      .updateTable('ivr_models')
      .set({ status: 'production', promoted_at: sql`clock_timestamp()`, promoted_by: actor.userId, updated_at: sql`clock_timestamp()` })
      .where('id', '=', modelId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'ivr_model.promoted',
      actorUserId: actor.userId,
      targetType: 'ivr_model',
      targetId: row.id,
      campaignId: row.campaign_id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { version: row.version, archivedId: archived?.id ?? null, archivedVersion: archived?.version ?? null },
    });
    return { model: detailOf(row), archivedId: archived?.id ?? null };
  });
}
