import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import { authorize, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { QualityScorecard, ScorecardItem } from '../db/schema-quality.js';
import { HubError } from '../errors/error-registry.js';
import { QUALITY_MANAGERS } from './quality-access.js';
import { scorecardItemsSchema } from './scorecard.schema.js';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface ScorecardView {
  id: string;
  campaignId: string;
  name: string;
  version: number;
  status: 'draft' | 'active' | 'archived';
  items: ScorecardItem[];
  createdAt: string;
  evaluations: number;
}

export function toScorecardView(row: QualityScorecard, evaluations = 0): ScorecardView {
  return { id: row.id, campaignId: row.campaign_id, name: row.name, version: row.version, status: row.status, items: row.items, createdAt: row.created_at.toISOString(), evaluations };
}

/** Zod again inside the use case: the worker and tests call it without the route's schema. */
function validItems(items: unknown): ScorecardItem[] {
  const parsed = scorecardItemsSchema.safeParse(items);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new HubError('HUB_ERR_QUALITY_SCORECARD_INVALID', `La guía de monitoreo no es válida / invalid quality scorecard — ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`, issues);
  }
  return parsed.data;
}

async function loadScorecard(db: Kysely<Database>, principal: Principal, id: string): Promise<QualityScorecard> {
  const row = await db.selectFrom('quality_scorecards').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Guía de monitoreo no encontrada / scorecard not found');
  authorize(principal, QUALITY_MANAGERS, row.campaign_id);
  return row;
}

/** A new draft; its version is the next one of that name in the campaign (versions never reuse a number). */
export async function createScorecard(db: Kysely<Database>, principal: Principal, input: { campaignId: string; name: string; items: unknown }, meta: RequestMeta): Promise<ScorecardView> {
  authorize(principal, QUALITY_MANAGERS, input.campaignId);
  const items = validItems(input.items);
  const row = await db.transaction().execute(async (trx) => {
    const campaign = await trx.selectFrom('campaigns').select('id').where('id', '=', input.campaignId).forUpdate().executeTakeFirst();
    if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
    const last = await trx.selectFrom('quality_scorecards').select((eb) => eb.fn.max('version').as('v')).where('campaign_id', '=', input.campaignId).where('name', '=', input.name).executeTakeFirst();
    const version = (last?.v ?? 0) + 1;
    const created = await trx
      .insertInto('quality_scorecards')
      .values({ campaign_id: input.campaignId, name: input.name, version, status: 'draft', items: JSON.stringify(items), created_by: principal.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { action: 'quality_scorecard.created', actorUserId: principal.userId, ...meta, campaignId: input.campaignId, targetType: 'quality_scorecard', targetId: created.id, details: { name: input.name, version, items } });
    return created;
  });
  return toScorecardView(row);
}

/** Only a draft changes; an active or archived scorecard is what evaluations were scored on. */
export async function updateScorecard(db: Kysely<Database>, principal: Principal, id: string, input: { name?: string | undefined; items?: unknown }, meta: RequestMeta): Promise<ScorecardView> {
  const before = await loadScorecard(db, principal, id);
  if (before.status !== 'draft') throw new HubError('HUB_ERR_QUALITY_SCORECARD_LOCKED');
  const items = input.items === undefined ? before.items : validItems(input.items);
  const row = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('quality_scorecards')
      .set({ ...(input.name === undefined ? {} : { name: input.name }), items: JSON.stringify(items) })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new HubError('HUB_ERR_QUALITY_SCORECARD_LOCKED');
    await recordAudit(trx, { action: 'quality_scorecard.updated', actorUserId: principal.userId, ...meta, campaignId: before.campaign_id, targetType: 'quality_scorecard', targetId: id, details: { before: { name: before.name, items: before.items }, after: { name: updated.name, items } } });
    return updated;
  });
  return toScorecardView(row);
}

/** Draft → active; the campaign's previous active scorecard is archived in the same transaction. */
export async function activateScorecard(db: Kysely<Database>, principal: Principal, id: string, meta: RequestMeta): Promise<ScorecardView> {
  const target = await loadScorecard(db, principal, id);
  if (target.status !== 'draft') throw new HubError('HUB_ERR_QUALITY_SCORECARD_LOCKED', 'Solo se activa una guía en borrador / only a draft scorecard can be activated');
  const row = await db.transaction().execute(async (trx) => {
    await trx.selectFrom('campaigns').select('id').where('id', '=', target.campaign_id).forUpdate().execute();
    const archived = await trx.updateTable('quality_scorecards').set({ status: 'archived' }).where('campaign_id', '=', target.campaign_id).where('status', '=', 'active').returning('id').execute();
    const active = await trx.updateTable('quality_scorecards').set({ status: 'active' }).where('id', '=', id).where('status', '=', 'draft').returningAll().executeTakeFirst();
    if (!active) throw new HubError('HUB_ERR_QUALITY_SCORECARD_LOCKED');
    await recordAudit(trx, { action: 'quality_scorecard.activated', actorUserId: principal.userId, ...meta, campaignId: target.campaign_id, targetType: 'quality_scorecard', targetId: id, details: { name: active.name, version: active.version, archived: archived.map((a) => a.id) } });
    return active;
  });
  return toScorecardView(row);
}

export async function deleteDraftScorecard(db: Kysely<Database>, principal: Principal, id: string, meta: RequestMeta): Promise<void> {
  const target = await loadScorecard(db, principal, id);
  if (target.status !== 'draft') throw new HubError('HUB_ERR_QUALITY_SCORECARD_LOCKED');
  await db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom('quality_scorecards').where('id', '=', id).where('status', '=', 'draft').returning('id').executeTakeFirst();
    if (!deleted) throw new HubError('HUB_ERR_QUALITY_SCORECARD_LOCKED');
    await recordAudit(trx, { action: 'quality_scorecard.deleted', actorUserId: principal.userId, ...meta, campaignId: target.campaign_id, targetType: 'quality_scorecard', targetId: id, details: { name: target.name, version: target.version } });
  });
}

export async function listScorecards(db: Kysely<Database>, campaignId: string): Promise<ScorecardView[]> {
  const rows = await db
    .selectFrom('quality_scorecards as s')
    .selectAll('s')
    .select((eb) => eb.selectFrom('quality_evaluations as e').select((e) => e.fn.countAll<string>().as('n')).whereRef('e.scorecard_id', '=', 's.id').as('evaluations'))
    .where('s.campaign_id', '=', campaignId)
    .orderBy('s.name')
    .orderBy('s.version', 'desc')
    .execute();
  return rows.map((r) => toScorecardView(r, Number(r.evaluations ?? 0)));
}
