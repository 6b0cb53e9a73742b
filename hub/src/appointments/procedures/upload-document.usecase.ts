/**
 * A citizen uploads the document of one requirement (seed-digest §9.1: "revisión en línea de la
 * documentación con una pre-validación"). The type must be one the requirement accepts and the
 * bytes must be what that type claims (files/file-types.ts sniffs them: a .pdf made of PNG or HTML
 * is refused); the size at most the requirement's maxBytes. A refusal keeps nothing. Each upload
 * is a new version (a rejected one and its reason stay on record) and is assigned at random to a
 * reviewer, in the same transaction.
 */
import type { Kysely } from 'kysely';
import type { AppointmentCaseRow } from '../../db/schema-appointment-procedures.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { saveCheckedFile } from '../../files/checked-save.js';
import { sanitizeFilename } from '../../files/file-names.js';
import type { FileStore } from '../../files/file-store.js';
import { resolveMimeType } from '../../files/file-types.js';
import type { IncomingFile } from '../../files/upload-file.usecase.js';
import { bilingual } from '../../router/config/routing-problem.js';
import { refreshCaseStatus } from './case-state.js';
import { DOCUMENT_MIME_TYPES, type DocumentMimeType, type Requirement } from './procedure.schema.js';
import { loadProcedure } from './procedure.store.js';
import { assignReviewer } from './reviewer-assignment.js';

const TYPE_NAMES: Record<DocumentMimeType, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

function isDocumentMime(mime: string): mime is DocumentMimeType {
  return DOCUMENT_MIME_TYPES.some((m) => m === mime);
}

function typeRefused(requirement: Requirement, declared: string | undefined, filename: string): HubError {
  const names = requirement.accept.map((m) => TYPE_NAMES[m]).join(', ');
  return new HubError(
    'HUB_ERR_FILE_TYPE_NOT_ALLOWED',
    bilingual(`Para «${requirement.name}» se acepta solo: ${names}`, `for "${requirement.name}" only ${names} is accepted`),
    { accept: requirement.accept, mimeType: declared ?? null, filename },
  );
}

function locked(requirement: Requirement, status: string): HubError {
  return new HubError(
    'HUB_ERR_APPOINTMENT_DOCUMENT_LOCKED',
    status === 'approved'
      ? bilingual(`«${requirement.name}» ya está aprobado`, `"${requirement.name}" is already approved`)
      : bilingual(`«${requirement.name}» está en revisión; espere la respuesta del revisor`, `"${requirement.name}" is under review; wait for the reviewer`),
    { status },
  );
}

export async function uploadCaseDocument(
  deps: { readonly db: Kysely<Database>; readonly store: FileStore },
  caseRow: AppointmentCaseRow,
  requirementId: string,
  incoming: IncomingFile,
): Promise<AppointmentCaseRow> {
  const { db, store } = deps;
  const procedure = await loadProcedure(db, caseRow.procedure_id);
  const requirement = procedure?.requirements.find((r) => r.id === requirementId);
  if (!procedure || !requirement) {
    throw new HubError('HUB_ERR_APPOINTMENT_DOCUMENT_NOT_FOUND', bilingual('Ese requisito no existe en su trámite', 'that requirement is not part of your case'));
  }
  if (caseRow.status === 'booked' || caseRow.status === 'closed') {
    throw new HubError('HUB_ERR_APPOINTMENT_DOCUMENT_LOCKED', bilingual('Su trámite ya tiene cita o está cerrado', 'your case is already booked or closed'));
  }
  // Checked before reading any byte, and again under the case lock below.
  const previous = await latestVersion(db, caseRow.id, requirementId);
  if (previous && previous.status !== 'rejected') throw locked(requirement, previous.status);

  const filename = sanitizeFilename(incoming.filename);
  const mimeType = resolveMimeType(incoming.mimetype, filename);
  if (!mimeType || !isDocumentMime(mimeType) || !requirement.accept.includes(mimeType)) throw typeRefused(requirement, incoming.mimetype, filename);
  const { key, ...saved } = await saveCheckedFile(store, incoming.stream, { mimeType, filename, maxBytes: requirement.maxBytes });

  try {
    return await db.transaction().execute(async (trx) => {
      // One upload per case at a time: two parallel uploads of one document cannot both become "the" new version.
      const locked_ = await trx.selectFrom('appointment_cases').selectAll().where('id', '=', caseRow.id).forUpdate().executeTakeFirstOrThrow();
      const latest = await latestVersion(trx, caseRow.id, requirementId);
      if (latest && latest.status !== 'rejected') throw locked(requirement, latest.status);
      const document = await trx
        .insertInto('appointment_case_documents')
        .values({
          case_id: caseRow.id,
          campaign_id: caseRow.campaign_id,
          requirement_id: requirementId,
          version: (latest?.version ?? 0) + 1,
          storage_key: key,
          file_name: filename,
          mime_type: mimeType,
          size: saved.size,
          sha256: saved.sha256,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await assignReviewer(trx, {
        campaignId: caseRow.campaign_id,
        caseId: caseRow.id,
        documentId: document.id,
        reviewerSkill: procedure.reviewerSkill,
        avoid: latest?.reviewer_id ?? null,
        cause: latest ? 'reupload' : 'upload',
        actorUserId: null,
      });
      const status = await refreshCaseStatus(trx, locked_, procedure.requirements);
      return { ...locked_, status };
    });
  } catch (error) {
    await store.remove(key);
    throw error;
  }
}

async function latestVersion(db: Kysely<Database>, caseId: string, requirementId: string) {
  return db
    .selectFrom('appointment_case_documents')
    .select(['version', 'status', 'reviewer_id'])
    .where('case_id', '=', caseId)
    .where('requirement_id', '=', requirementId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}
