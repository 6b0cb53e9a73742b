import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import { authorize, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { WallboardThreshold } from '../db/schema-wallboard.js';
import { HubError } from '../errors/error-registry.js';
import { METRIC_DIRECTION, type ThresholdRule } from './wallboard-alerts.js';
import type { ThresholdBody, ThresholdView } from './wallboard.schema.js';

export const WALLBOARD_ROLES = ['admin', 'supervisor'] as const;

export interface AuditMeta {
  readonly ip: string;
  readonly userAgent: string | null;
}

export async function loadThresholdRules(db: Kysely<Database>, campaignId: string): Promise<ThresholdRule[]> {
  const rows = await db.selectFrom('wallboard_thresholds').select(['id', 'queue_id', 'metric', 'value']).where('campaign_id', '=', campaignId).orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, queueId: r.queue_id, metric: r.metric, value: Number(r.value) }));
}

export function thresholdView(row: WallboardThreshold): ThresholdView {
  return { id: row.id, campaignId: row.campaign_id, queueId: row.queue_id, metric: row.metric, direction: METRIC_DIRECTION[row.metric], value: Number(row.value), updatedAt: row.updated_at.toISOString() };
}

export async function listThresholds(db: Kysely<Database>, principal: Principal, campaignId: string): Promise<ThresholdView[]> {
  authorize(principal, WALLBOARD_ROLES, campaignId);
  const rows = await db.selectFrom('wallboard_thresholds').selectAll().where('campaign_id', '=', campaignId).orderBy('created_at').execute();
  return rows.map(thresholdView);
}

async function assertCampaignQueue(db: Kysely<Database>, campaignId: string, queueId: string | null): Promise<void> {
  const campaign = await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  if (queueId === null) return;
  const queue = await db.selectFrom('queues').select('id').where('id', '=', queueId).where('campaign_id', '=', campaignId).executeTakeFirst();
  if (!queue) throw new HubError('HUB_ERR_QUEUE_NOT_FOUND', 'La fila no pertenece a esta campaña / the queue is not in this campaign');
}

export async function createThreshold(db: Kysely<Database>, principal: Principal, campaignId: string, body: ThresholdBody, meta: AuditMeta): Promise<ThresholdView> {
  authorize(principal, WALLBOARD_ROLES, campaignId);
  await assertCampaignQueue(db, campaignId, body.queueId);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('wallboard_thresholds')
      .values({ campaign_id: campaignId, queue_id: body.queueId, metric: body.metric, value: body.value, created_by: principal.userId })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new HubError('HUB_ERR_CONFLICT', 'Ya existe un umbral para esa métrica en esa fila / a threshold for that metric and queue already exists');
    await recordAudit(trx, {
      action: 'wallboard.threshold_created',
      actorUserId: principal.userId,
      targetType: 'wallboard_threshold',
      targetId: row.id,
      campaignId,
      ...meta,
      details: { queueId: body.queueId, metric: body.metric, value: body.value },
    });
    return thresholdView(row);
  });
}

export async function updateThreshold(db: Kysely<Database>, principal: Principal, campaignId: string, id: string, value: number, meta: AuditMeta): Promise<ThresholdView> {
  authorize(principal, WALLBOARD_ROLES, campaignId);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('wallboard_thresholds').selectAll().where('id', '=', id).where('campaign_id', '=', campaignId).forUpdate().executeTakeFirst();
    if (!before) throw new HubError('HUB_ERR_NOT_FOUND', 'Umbral no encontrado / threshold not found');
    if ((before.metric === 'service_level_percent' || before.metric === 'abandonment_percent') && value > 100) {
      throw new HubError('HUB_ERR_VALIDATION', 'Un porcentaje va de 0 a 100 / a percentage is 0 to 100');
    }
    const row = await trx.updateTable('wallboard_thresholds').set({ value, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'wallboard.threshold_updated',
      actorUserId: principal.userId,
      targetType: 'wallboard_threshold',
      targetId: id,
      campaignId,
      ...meta,
      details: { metric: row.metric, queueId: row.queue_id, from: Number(before.value), to: value },
    });
    return thresholdView(row);
  });
}

export async function deleteThreshold(db: Kysely<Database>, principal: Principal, campaignId: string, id: string, meta: AuditMeta): Promise<void> {
  authorize(principal, WALLBOARD_ROLES, campaignId);
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('wallboard_thresholds').where('id', '=', id).where('campaign_id', '=', campaignId).returningAll().executeTakeFirst();
    if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Umbral no encontrado / threshold not found');
    await recordAudit(trx, {
      action: 'wallboard.threshold_deleted',
      actorUserId: principal.userId,
      targetType: 'wallboard_threshold',
      targetId: id,
      campaignId,
      ...meta,
      details: { metric: row.metric, queueId: row.queue_id, value: Number(row.value) },
    });
  });
}
