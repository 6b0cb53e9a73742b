import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import { authorize, type Principal } from '../../auth/principal.js';
import type { Database, Role } from '../../db/schema.js';
import type { ArcoRequestRow } from '../../db/schema-privacy.js';
import { HubError } from '../../errors/error-registry.js';

type Db = Kysely<Database> | Transaction<Database>;

/** ARCO requests are handled by admins (no privacy-officer role exists yet); auditors of the campaign may read them. */
export const ARCO_ROLES: readonly Role[] = ['admin'];
export const ARCO_VIEW_ROLES: readonly Role[] = ['admin', 'auditor'];

/** ARCO-YYYYMMDD-NNNNNN: the campaign's local day and a counter of that day. */
export async function nextArcoFolio(trx: Transaction<Database>, campaignId: string, now: Date): Promise<string> {
  const { rows } = await sql<{ day: string }>`SELECT to_char(${now}::timestamptz AT TIME ZONE c.time_zone, 'YYYY-MM-DD') AS day FROM campaigns c WHERE c.id = ${campaignId}`.execute(trx);
  const day = rows[0]?.day;
  if (!day) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  const counter = await trx
    .insertInto('privacy_arco_folios')
    .values({ day, last: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet({ last: sql<number>`privacy_arco_folios.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `ARCO-${day.replaceAll('-', '')}-${String(counter.last).padStart(6, '0')}`;
}

/** The request, once the caller's role and campaign allow it (403 before 404 is not needed: ids are random). */
export async function requireArcoRequest(db: Db, principal: Principal, id: string, roles: readonly Role[], options: { forUpdate?: boolean } = {}): Promise<ArcoRequestRow> {
  const row = await db
    .selectFrom('privacy_arco_requests')
    .selectAll()
    .where('id', '=', id)
    .$if(options.forUpdate === true, (qb) => qb.forUpdate())
    .executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Solicitud ARCO no encontrada / ARCO request not found');
  authorize(principal, roles, row.campaign_id);
  return row;
}

export function assertOpen(row: ArcoRequestRow, kind: ArcoRequestRow['kind']): void {
  if (row.kind !== kind) throw new HubError('HUB_ERR_CONFLICT', `La solicitud es de ${row.kind}, no de ${kind} / the request is ${row.kind}, not ${kind}`);
  if (row.status !== 'recibida') throw new HubError('HUB_ERR_CONFLICT', 'La solicitud ya fue atendida / the request was already resolved');
}

/** Marks a rectification or cancellation done (`atendida`) with its outcome, and audits it. */
export async function completeArcoRequest(
  trx: Transaction<Database>,
  input: {
    principal: Principal;
    request: ArcoRequestRow;
    meta: { ip: string | null; userAgent: string | null };
    action: 'privacy.arco_rectified' | 'privacy.arco_cancelled';
    contactId: string;
    resolution: Record<string, unknown>;
  },
): Promise<void> {
  const { principal, request } = input;
  await trx
    .updateTable('privacy_arco_requests')
    .set({ status: 'atendida', resolved_by: principal.userId, resolved_at: new Date(), resolution: JSON.stringify(input.resolution) })
    .where('id', '=', request.id)
    .execute();
  await recordAudit(trx, {
    action: input.action,
    actorUserId: principal.userId,
    actorLabel: principal.email,
    ...input.meta,
    campaignId: request.campaign_id,
    targetType: 'contact',
    targetId: input.contactId,
    details: { folio: request.folio, arcoRequestId: request.id, ...input.resolution },
  });
}
