import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { recordAudit, requestMeta, type AuditAction } from '../audit/audit.js';
import type { Principal } from '../auth/principal.js';
import type { Database, MassSms } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import type { Db } from './mass-sms-store.js';

export { authorizeManager } from '../mass-mail/mailing-access.js';

export async function auditMassSms(trx: Transaction<Database>, request: FastifyRequest, principal: Principal, action: AuditAction, row: Pick<MassSms, 'id' | 'campaign_id'>, details: Record<string, unknown>): Promise<void> {
  await recordAudit(trx, { actorUserId: principal.userId, ...requestMeta(request), action, campaignId: row.campaign_id, targetType: 'mass_sms', targetId: row.id, details });
}

/** Mass SMS go out through an SMS channel of the same campaign. */
export async function assertSmsChannel(db: Db, campaignId: string, channelId: string): Promise<void> {
  const channel = await db.selectFrom('channels').select('id').where('id', '=', channelId).where('campaign_id', '=', campaignId).where('kind', '=', 'sms').executeTakeFirst();
  if (!channel) throw new HubError('HUB_ERR_MASS_SMS_CHANNEL_INVALID');
}
