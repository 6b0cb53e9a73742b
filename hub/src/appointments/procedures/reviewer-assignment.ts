/**
 * Random assignment of an uploaded document to a reviewer (seed-digest §9.1: "asignación aleatoria
 * del expediente al funcionario revisor", an anti-corruption rule). Eligible = the campaign's
 * users with an active account holding the procedure's reviewer skill. The one who reviewed the
 * previous version of the same document (or holds it now, on a reassignment) is avoided whenever
 * someone else is eligible, so a citizen cannot keep landing on a reviewer of their choosing.
 */
import { randomInt } from 'node:crypto';
import type { Transaction } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';

/** Pure: one of `eligible` drawn with `draw(n)` ∈ [0, n), never `avoid` when another exists. */
export function pickReviewer(eligible: readonly string[], avoid: string | null, draw: (n: number) => number): string | undefined {
  const others = avoid === null ? eligible : eligible.filter((id) => id !== avoid);
  const pool = others.length > 0 ? others : eligible;
  if (pool.length === 0) return undefined;
  return pool[draw(pool.length)];
}

/** Users of the campaign, enabled, holding the skill named `skill` of that campaign (ordered, so a draw is reproducible). */
export async function eligibleReviewers(trx: Transaction<Database>, campaignId: string, skill: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('users as u')
    .innerJoin('user_campaigns as uc', 'uc.user_id', 'u.id')
    .innerJoin('agent_skills as a', 'a.user_id', 'u.id')
    .innerJoin('skills as s', 's.id', 'a.skill_id')
    .select('u.id')
    .distinct()
    .where('uc.campaign_id', '=', campaignId)
    .where('s.campaign_id', '=', campaignId)
    .where('s.name', '=', skill)
    .where('u.disabled', '=', false)
    .orderBy('u.id')
    .execute();
  return rows.map((r) => r.id);
}

export interface AssignmentRequest {
  readonly campaignId: string;
  readonly caseId: string;
  readonly documentId: string;
  readonly reviewerSkill: string;
  /** The reviewer to avoid: who rejected the previous version, or the current one on a reassignment. */
  readonly avoid: string | null;
  readonly cause: 'upload' | 'reupload' | 'reassign';
  readonly actorUserId: string | null;
  readonly reason?: string;
}

/** Draws and writes the reviewer (or leaves the document unassigned when nobody is eligible); audited without personal data. */
export async function assignReviewer(trx: Transaction<Database>, request: AssignmentRequest, draw: (n: number) => number = randomInt): Promise<string | null> {
  const eligible = await eligibleReviewers(trx, request.campaignId, request.reviewerSkill);
  const reviewerId = pickReviewer(eligible, request.avoid, draw) ?? null;
  await trx
    .updateTable('appointment_case_documents')
    .set({ reviewer_id: reviewerId, assigned_at: reviewerId === null ? null : new Date() })
    .where('id', '=', request.documentId)
    .execute();
  await recordAudit(trx, {
    action: 'appointment.case_assigned',
    actorUserId: request.actorUserId,
    actorLabel: request.actorUserId === null ? 'portal' : null,
    targetType: 'appointment_case_document',
    targetId: request.documentId,
    campaignId: request.campaignId,
    details: {
      caseId: request.caseId,
      cause: request.cause,
      reviewerId,
      eligibleCount: eligible.length,
      avoided: request.avoid !== null && eligible.length > 1 && eligible.includes(request.avoid),
      ...(request.reason === undefined ? {} : { reason: request.reason }),
    },
  });
  return reviewerId;
}
