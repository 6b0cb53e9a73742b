/**
 * The assigned reviewer approves or rejects one document (seed-digest §9.1). Only the reviewer the
 * draw chose decides — not a supervisor, not an admin (they reassign, at random again): that is
 * the anti-corruption rule. The decision, the case status, the notice to the citizen and the audit
 * entry are one transaction; the notice goes back on the conversation the case came from, or —
 * for a portal case with an e-mail or phone — on an outbound conversation the notices module opens
 * (a channel that cannot take it is rolled back alone and logged; the portal notice stays).
 */
import { sql, type Transaction } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import type { Principal } from '../../auth/principal.js';
import type { AppointmentCaseRow } from '../../db/schema-appointment-procedures.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { writeOutbox, type OutboxRow } from '../../outbox/outbox.js';
import { enqueueOutbound } from '../../queues/outbound-jobs.js';
import { bilingual, formatProblems, parseWith } from '../../router/config/routing-problem.js';
import type { HubContext } from '../../runtime/context.js';
import { noticeCitizen } from '../notices/citizen-notice.js';
import { refreshCaseStatus } from './case-state.js';
import { reassignInputSchema, reviewInputSchema } from './procedure.schema.js';
import { loadProcedure, type Procedure } from './procedure.store.js';
import { assignReviewer, eligibleReviewers } from './reviewer-assignment.js';

export interface DocumentRef {
  readonly campaignId: string;
  readonly caseId: string;
  readonly documentId: string;
}

interface Locked {
  readonly caseRow: AppointmentCaseRow;
  readonly procedure: Procedure;
  readonly document: { id: string; requirement_id: string; version: number; status: string; reviewer_id: string | null };
}

/** Locks the case, then the document (always in this order), inside `trx`. */
async function lockDocument(trx: Transaction<Database>, ref: DocumentRef): Promise<Locked> {
  const caseRow = await trx.selectFrom('appointment_cases').selectAll().where('id', '=', ref.caseId).where('campaign_id', '=', ref.campaignId).forUpdate().executeTakeFirst();
  const document = caseRow
    ? await trx
        .selectFrom('appointment_case_documents')
        .select(['id', 'requirement_id', 'version', 'status', 'reviewer_id'])
        .where('id', '=', ref.documentId)
        .where('case_id', '=', ref.caseId)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  const procedure = caseRow ? await loadProcedure(trx, caseRow.procedure_id) : undefined;
  if (!caseRow || !document || !procedure) throw new HubError('HUB_ERR_APPOINTMENT_DOCUMENT_NOT_FOUND');
  return { caseRow, procedure, document };
}

export function decisionNotice(folio: string, requirementName: string, decision: 'approved' | 'rejected', reason: string, caseApproved: boolean): string {
  if (decision === 'rejected') {
    return bilingual(
      `Trámite ${folio}: su documento «${requirementName}» fue rechazado. Motivo: ${reason}. Puede subirlo de nuevo.`,
      `Case ${folio}: your document "${requirementName}" was rejected. Reason: ${reason}. You can upload it again.`,
    );
  }
  return caseApproved
    ? bilingual(
        `Trámite ${folio}: su documento «${requirementName}» fue aprobado. Todos sus documentos están aprobados; ya puede agendar su cita.`,
        `Case ${folio}: your document "${requirementName}" was approved. All your documents are approved; you can book your appointment now.`,
      )
    : bilingual(`Trámite ${folio}: su documento «${requirementName}» fue aprobado.`, `Case ${folio}: your document "${requirementName}" was approved.`);
}

export async function reviewDocument(ctx: HubContext, principal: Principal, ref: DocumentRef, rawInput: unknown): Promise<AppointmentCaseRow> {
  const parsed = parseWith(reviewInputSchema, rawInput);
  if (!parsed.ok) throw new HubError('HUB_ERR_VALIDATION', formatProblems(parsed.problems), { problems: parsed.problems });
  const input = parsed.value;
  const db = ctx.db.kysely;
  let outbox: OutboxRow[] = [];
  let messageIds: readonly string[] = [];

  const result = await db.transaction().execute(async (trx) => {
    const { caseRow, procedure, document } = await lockDocument(trx, ref);
    if (document.reviewer_id !== principal.userId) throw new HubError('HUB_ERR_APPOINTMENT_NOT_ASSIGNED_REVIEWER');
    if (document.status !== 'pending_review') throw new HubError('HUB_ERR_APPOINTMENT_DOCUMENT_DECIDED');
    const now = new Date();
    await trx
      .updateTable('appointment_case_documents')
      .set({ status: input.decision, reason: input.reason === '' ? null : input.reason, reviewed_at: now })
      .where('id', '=', document.id)
      .execute();
    const status = await refreshCaseStatus(trx, caseRow, procedure.requirements);
    const requirementName = procedure.requirements.find((r) => r.id === document.requirement_id)?.name ?? document.requirement_id;
    const text = decisionNotice(caseRow.folio, requirementName, input.decision, input.reason, status === 'approved');
    await trx.insertInto('appointment_case_notices').values({ case_id: caseRow.id, text }).execute();
    await recordAudit(trx, {
      action: 'appointment.document_reviewed',
      actorUserId: principal.userId,
      targetType: 'appointment_case_document',
      targetId: document.id,
      campaignId: ref.campaignId,
      details: { caseId: caseRow.id, requirementId: document.requirement_id, version: document.version, decision: input.decision, caseStatus: status },
    });
    const sent = await noticeInside(ctx, trx, caseRow, text);
    outbox = sent.outbox;
    messageIds = sent.messageIds;
    return { caseRow: { ...caseRow, status, updated_at: now }, text };
  });

  await deliver(ctx, outbox, messageIds);
  return result.caseRow;
}

async function deliver(ctx: HubContext, outbox: OutboxRow[], messageIds: readonly string[]): Promise<void> {
  if (outbox.length > 0) ctx.relay.publishCommitted(outbox);
  for (const id of messageIds) await enqueueOutbound({ config: ctx.config, queues: ctx.queues }, id);
}

/**
 * The notice on the channel the case came from (its conversation), or — for a portal citizen who
 * left an e-mail or phone — on an outbound conversation (notices module). Under a savepoint: a
 * channel that cannot take it (a WhatsApp window closed, no channel for that address) is logged and
 * rolled back alone; the decision and the portal notice stand.
 */
async function noticeInside(ctx: HubContext, trx: Transaction<Database>, caseRow: AppointmentCaseRow, text: string): Promise<{ outbox: OutboxRow[]; messageIds: readonly string[] }> {
  if (caseRow.conversation_id === null && caseRow.email === null && caseRow.phone === null) return { outbox: [], messageIds: [] };
  const address = {
    campaignId: caseRow.campaign_id,
    conversationId: caseRow.conversation_id,
    email: caseRow.email,
    phone: caseRow.phone,
    ...(caseRow.conversation_id === null ? { preferredKinds: ['email', 'sms'] as const } : {}),
  };
  await sql`SAVEPOINT appointment_case_notice`.execute(trx);
  try {
    const notice = await noticeCitizen(trx, address, text, { subject: `Su trámite ${caseRow.folio} / your case ${caseRow.folio}` });
    const outbox = await writeOutbox(trx, [...notice.notifications]);
    await sql`RELEASE SAVEPOINT appointment_case_notice`.execute(trx);
    return { outbox, messageIds: notice.messageIds };
  } catch (error) {
    await sql`ROLLBACK TO SAVEPOINT appointment_case_notice`.execute(trx);
    ctx.logger.warn({ err: error, caseId: caseRow.id }, 'appointment case notice: no channel took it; the notice stays on the portal');
    return { outbox: [], messageIds: [] };
  }
}

/** A supervisor or admin hands a waiting document to another reviewer, drawn at random (never the current one when another exists). */
export async function reassignDocument(ctx: HubContext, principal: Principal, ref: DocumentRef, rawInput: unknown): Promise<string> {
  const parsed = parseWith(reassignInputSchema, rawInput);
  if (!parsed.ok) throw new HubError('HUB_ERR_VALIDATION', formatProblems(parsed.problems), { problems: parsed.problems });
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const { caseRow, procedure, document } = await lockDocument(trx, ref);
    if (document.status !== 'pending_review') throw new HubError('HUB_ERR_APPOINTMENT_DOCUMENT_DECIDED');
    const eligible = await eligibleReviewers(trx, ref.campaignId, procedure.reviewerSkill);
    const others = eligible.filter((id) => id !== document.reviewer_id);
    if (others.length === 0) throw new HubError('HUB_ERR_APPOINTMENT_NO_REVIEWER');
    const reviewerId = await assignReviewer(trx, {
      campaignId: ref.campaignId,
      caseId: caseRow.id,
      documentId: document.id,
      reviewerSkill: procedure.reviewerSkill,
      avoid: document.reviewer_id,
      cause: 'reassign',
      actorUserId: principal.userId,
      reason: parsed.value.reason,
    });
    if (reviewerId === null) throw new HubError('HUB_ERR_APPOINTMENT_NO_REVIEWER');
    return reviewerId;
  });
}
