import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../../audit/audit.js';
import { authorize, HANDLING_ROLES, hasRole, type Principal } from '../../auth/principal.js';
import type { Role } from '../../db/schema.js';
import type { AppointmentCaseRow } from '../../db/schema-appointment-procedures.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { fileResponseHeaders } from '../../files/file-response.js';
import { FileStore } from '../../files/file-store.js';
import { principalOf } from '../../http/authenticate.js';
import { documented } from '../../inbox/inbox-http.js';
import type { HubContext } from '../../runtime/context.js';
import { staffCaseView } from './case-view.js';
import { procedureInputSchema, procedureIdSchema, procedureViewSchema, reassignInputSchema, reviewInputSchema, staffCaseViewSchema } from './procedure.schema.js';
import { listProcedures, saveProcedure, toProcedureView } from './procedure.store.js';
import { reassignDocument, reviewDocument } from './review-document.usecase.js';

const SUPERVISING: readonly Role[] = ['admin', 'supervisor'];
const campaignParams = z.object({ campaignId: z.uuid() });
const caseParams = campaignParams.extend({ caseId: z.uuid() });
const documentParams = caseParams.extend({ documentId: z.uuid() });
const staffCaseAnswer = z.object({ case: staffCaseViewSchema });
const queueItem = z.object({
  caseId: z.string(),
  caseFolio: z.string(),
  procedureName: z.string(),
  documentId: z.string(),
  requirementName: z.string(),
  fileName: z.string(),
  uploadedAt: z.string(),
  /** null: nobody eligible held the reviewer skill at upload time; a supervisor assigns (reassign). */
  assignedTo: z.object({ id: z.string(), name: z.string() }).nullable(),
});

/** The case, when the caller may see it: a supervisor or admin of the campaign, or a reviewer assigned one of its documents. */
async function caseForStaff(db: Kysely<Database>, principal: Principal, campaignId: string, caseId: string): Promise<AppointmentCaseRow> {
  authorize(principal, HANDLING_ROLES, campaignId);
  const row = await db.selectFrom('appointment_cases').selectAll().where('id', '=', caseId).where('campaign_id', '=', campaignId).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_APPOINTMENT_CASE_NOT_FOUND', 'Trámite no encontrado / case not found');
  if (hasRole(principal, SUPERVISING)) return row;
  const assigned = await db.selectFrom('appointment_case_documents').select('id').where('case_id', '=', caseId).where('reviewer_id', '=', principal.userId).limit(1).executeTakeFirst();
  if (!assigned) throw new HubError('HUB_ERR_APPOINTMENT_NOT_ASSIGNED_REVIEWER', 'Solo el revisor asignado, supervisores y administradores ven este trámite / only the assigned reviewer, supervisors and admins see this case');
  return row;
}

/**
 * Procedures and document review (/api/v1, bearer session; appointments/README.md "Procedures and
 * review"): admins define procedures; reviewers see their queue and decide the documents drawn for
 * them; supervisors and admins see every case and reassign, never decide.
 */
export function procedureStaffRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const store = new FileStore(ctx.config.DATA_DIR);
    const base = '/appointments/campaigns/:campaignId';

    app.get(
      `${base}/procedures`,
      { schema: { tags: ['appointments'], summary: 'Trámites de la campaña / the campaign’s procedures', params: campaignParams, response: { 200: z.object({ procedures: z.array(procedureViewSchema) }) } } },
      async (request) => {
        authorize(principalOf(request), HANDLING_ROLES, request.params.campaignId);
        return { procedures: (await listProcedures(db, request.params.campaignId)).map(toProcedureView) };
      },
    );

    app.put(
      `${base}/procedures/:procedureId`,
      {
        schema: {
          tags: ['appointments'],
          summary: 'Crear o reemplazar un trámite y sus requisitos / create or replace a procedure and its requirements',
          params: campaignParams.extend({ procedureId: procedureIdSchema }),
          body: documented(procedureInputSchema),
          response: { 200: z.object({ procedure: procedureViewSchema }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, ['admin'], request.params.campaignId);
        const procedure = await saveProcedure(db, request.params.campaignId, request.params.procedureId, request.body, { userId: principal.userId, ...requestMeta(request) });
        return { procedure: toProcedureView(procedure) };
      },
    );

    app.get(
      `${base}/review-queue`,
      {
        schema: {
          tags: ['appointments'],
          summary: 'Documentos por revisar / documents waiting for review',
          description: 'Revisores: solo los suyos. Supervisores y administradores: todos, o los suyos con mine=true.',
          params: campaignParams,
          querystring: z.object({ mine: z.enum(['true', 'false']).optional() }),
          response: { 200: z.object({ items: z.array(queueItem) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES, request.params.campaignId);
        const onlyMine = request.query.mine === 'true' || !hasRole(principal, SUPERVISING);
        let query = db
          .selectFrom('appointment_case_documents as d')
          .innerJoin('appointment_cases as c', 'c.id', 'd.case_id')
          .innerJoin('appointment_procedures as p', 'p.id', 'c.procedure_id')
          .leftJoin('users as u', 'u.id', 'd.reviewer_id')
          .select(['d.id', 'd.case_id', 'c.folio', 'p.name as procedure_name', 'p.requirements', 'd.requirement_id', 'd.file_name', 'd.uploaded_at', 'd.reviewer_id', 'u.display_name'])
          .where('d.campaign_id', '=', request.params.campaignId)
          .where('d.status', '=', 'pending_review')
          .orderBy('d.uploaded_at')
          .limit(500);
        if (onlyMine) query = query.where('d.reviewer_id', '=', principal.userId);
        const rows = await query.execute();
        return {
          items: rows.map((r) => ({
            caseId: r.case_id,
            caseFolio: r.folio,
            procedureName: r.procedure_name,
            documentId: r.id,
            requirementName: requirementName(r.requirements, r.requirement_id),
            fileName: r.file_name,
            uploadedAt: r.uploaded_at.toISOString(),
            assignedTo: r.reviewer_id === null ? null : { id: r.reviewer_id, name: r.display_name ?? '' },
          })),
        };
      },
    );

    app.get(
      `${base}/cases/:caseId`,
      { schema: { tags: ['appointments'], summary: 'Un trámite con los datos del ciudadano / a case with the citizen’s data', params: caseParams, response: { 200: staffCaseAnswer } } },
      async (request) => {
        const principal = principalOf(request);
        const row = await caseForStaff(db, principal, request.params.campaignId, request.params.caseId);
        await recordAudit(db, { action: 'appointment.viewed', actorUserId: principal.userId, ...requestMeta(request), targetType: 'appointment_case', targetId: row.id, campaignId: row.campaign_id });
        // Whole ids: only supervising roles and the assigned reviewer see a case, and the reviewer compares the id with the documents.
        return { case: await staffCaseView(db, row) };
      },
    );

    app.get(
      `${base}/cases/:caseId/documents/:documentId/file`,
      { schema: { tags: ['appointments'], summary: 'Descargar el documento / download the document', params: documentParams } },
      async (request, reply) => {
        const principal = principalOf(request);
        const row = await caseForStaff(db, principal, request.params.campaignId, request.params.caseId);
        const document = await db.selectFrom('appointment_case_documents').selectAll().where('id', '=', request.params.documentId).where('case_id', '=', row.id).executeTakeFirst();
        if (!document) throw new HubError('HUB_ERR_APPOINTMENT_DOCUMENT_NOT_FOUND');
        const stream = await store.open(document.storage_key);
        if (!stream) {
          request.log.error({ documentId: document.id }, 'case document row without bytes on disk');
          throw new HubError('HUB_ERR_FILE_NOT_FOUND');
        }
        return fileResponseHeaders(reply, { filename: document.file_name, mimeType: document.mime_type, size: document.size })
          .header('cache-control', 'private, no-store')
          .send(stream);
      },
    );

    app.post(
      `${base}/cases/:caseId/documents/:documentId/review`,
      {
        schema: {
          tags: ['appointments'],
          summary: 'Aprobar o rechazar el documento (solo el revisor asignado) / approve or reject the document (assigned reviewer only)',
          params: documentParams,
          body: documented(reviewInputSchema),
          response: { 200: staffCaseAnswer },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES, request.params.campaignId);
        const row = await reviewDocument(ctx, principal, request.params, request.body);
        // Whole ids: only supervising roles and the assigned reviewer see a case, and the reviewer compares the id with the documents.
        return { case: await staffCaseView(db, row) };
      },
    );

    app.post(
      `${base}/cases/:caseId/documents/:documentId/reassign`,
      {
        schema: {
          tags: ['appointments'],
          summary: 'Reasignar al azar a otro revisor (supervisores y administradores) / reassign at random to another reviewer',
          params: documentParams,
          body: documented(reassignInputSchema),
          response: { 200: z.object({ assignedTo: z.object({ id: z.string(), name: z.string() }) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, SUPERVISING, request.params.campaignId);
        const reviewerId = await reassignDocument(ctx, principal, request.params, request.body);
        const user = await db.selectFrom('users').select(['id', 'display_name']).where('id', '=', reviewerId).executeTakeFirstOrThrow();
        return { assignedTo: { id: user.id, name: user.display_name } };
      },
    );
  };
}

function requirementName(requirements: unknown, requirementId: string): string {
  if (!Array.isArray(requirements)) return requirementId;
  for (const item of requirements) {
    const parsed = z.object({ id: z.string(), name: z.string() }).safeParse(item);
    if (parsed.success && parsed.data.id === requirementId) return parsed.data.name;
  }
  return requirementId;
}
