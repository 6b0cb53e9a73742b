import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { recordAudit, requestMeta, type AuditAction } from '../audit/audit.js';
import { authorize, type Principal } from '../auth/principal.js';
import type { Database, MassMailing } from '../db/schema.js';
import { principalOf } from '../http/authenticate.js';
import { ADMIN_OR_SUPERVISOR } from '../inbox/inbox-http.js';

/** Mass mail is managed by admins and by supervisors of the campaign (agents: 403 by role, others' campaigns: 403 by campaign). */
export function authorizeManager(request: FastifyRequest, campaignId: string): Principal {
  const principal = principalOf(request);
  authorize(principal, ADMIN_OR_SUPERVISOR, campaignId);
  return principal;
}

export async function auditMailing(
  trx: Transaction<Database>,
  request: FastifyRequest,
  principal: Principal,
  action: AuditAction,
  mailing: Pick<MassMailing, 'id' | 'campaign_id'>,
  details: Record<string, unknown>,
): Promise<void> {
  await recordAudit(trx, { actorUserId: principal.userId, ...requestMeta(request), action, campaignId: mailing.campaign_id, targetType: 'mass_mailing', targetId: mailing.id, details });
}
