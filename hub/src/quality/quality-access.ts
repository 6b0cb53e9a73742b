import type { Kysely, Transaction } from 'kysely';
import { authorize, hasRole, type Principal } from '../auth/principal.js';
import type { Database, Role } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Manage scorecards, draw and reassign samples. */
export const QUALITY_MANAGERS: readonly Role[] = ['admin', 'supervisor'];
/** Read samples, evaluations, the KPI and the transcripts of sampled interactions. */
export const QUALITY_READERS: readonly Role[] = ['admin', 'supervisor', 'auditor', 'quality_analyst'];
/** Score sampled interactions. */
export const QUALITY_EVALUATORS: readonly Role[] = ['quality_analyst'];

/**
 * A quality analyst is not in STAFF_ROLES: they never see live traffic, only the conversations a
 * sample drew. This says whether the caller may open one sampled conversation's transcript (or
 * recording): campaign readers always; an analyst (of that campaign) when the item is theirs or
 * still unassigned.
 */
export async function maySeeSampledConversation(db: Db, principal: Principal, conversationId: string): Promise<boolean> {
  const rows = await db
    .selectFrom('quality_sample_items as i')
    .innerJoin('quality_samples as s', 's.id', 'i.sample_id')
    .select(['s.campaign_id', 'i.analyst_id'])
    .where('i.conversation_id', '=', conversationId)
    .execute();
  return rows.some((r) => {
    if (!principal.roles.includes('admin') && !principal.campaignIds.includes(r.campaign_id)) return false;
    if (hasRole(principal, ['admin', 'supervisor', 'auditor'])) return true;
    return principal.roles.includes('quality_analyst') && (r.analyst_id === null || r.analyst_id === principal.userId);
  });
}

export interface SampleRef {
  id: string;
  campaign_id: string;
  channel_kind: string;
  month: string;
  sample_size: number;
}

/** The sample, after the role and campaign checks (404 before 403 leaks nothing: ids are random). */
export async function loadSample(db: Db, principal: Principal, sampleId: string, roles: readonly Role[] = QUALITY_READERS): Promise<SampleRef> {
  const sample = await db.selectFrom('quality_samples').select(['id', 'campaign_id', 'channel_kind', 'month', 'sample_size']).where('id', '=', sampleId).executeTakeFirst();
  if (!sample) throw new HubError('HUB_ERR_NOT_FOUND', 'Muestra no encontrada / sample not found');
  authorize(principal, roles, sample.campaign_id);
  return sample;
}

/** An analyst works on the items assigned to them or unassigned ones. */
export function assertMayEvaluate(principal: Principal, analystId: string | null): void {
  if (analystId !== null && analystId !== principal.userId) throw new HubError('HUB_ERR_QUALITY_NOT_ASSIGNED');
}
