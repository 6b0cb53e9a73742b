/** Procedures (trámites), cases and reviews at the boundary (zod; Spanish first). */
import { z } from 'zod';
import { bilingual } from '../../router/config/routing-problem.js';
import { officialIdSchema } from '../booking/booking.schema.js';

/** What a citizen may upload for a requirement (sniffed by content, files/file-types.ts). */
export const DOCUMENT_MIME_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentMimeType = (typeof DOCUMENT_MIME_TYPES)[number];
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export const PROCEDURE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const procedureIdSchema = z
  .string()
  .regex(PROCEDURE_ID, bilingual('use minúsculas, dígitos y guiones (máx. 63)', 'use lowercase letters, digits and dashes (max 63)'));

export const requirementSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, bilingual('use minúsculas, dígitos, _ y - (máx. 64)', 'use lowercase letters, digits, _ and - (max 64)')),
  name: z.string().trim().min(1, bilingual('campo requerido', 'required field')).max(200),
  description: z.string().max(2000).default(''),
  required: z.boolean().default(true),
  accept: z.array(z.enum(DOCUMENT_MIME_TYPES)).min(1, bilingual('acepte al menos un tipo de archivo', 'accept at least one file type')),
  maxBytes: z
    .number()
    .int()
    .positive()
    .max(MAX_DOCUMENT_BYTES, bilingual('máximo 10 MB por documento', 'at most 10 MB per document'))
    .default(MAX_DOCUMENT_BYTES),
});
export type Requirement = z.output<typeof requirementSchema>;

export const requirementsSchema = z
  .array(requirementSchema)
  .max(50)
  .refine((list) => new Set(list.map((r) => r.id)).size === list.length, {
    message: bilingual('hay requisitos con el mismo id', 'two requirements share an id'),
  });

export const procedureInputSchema = z.strictObject({
  name: z.string().trim().min(1, bilingual('campo requerido', 'required field')).max(200),
  description: z.string().max(4000).default(''),
  serviceId: z.string().min(1, bilingual('campo requerido', 'required field')).max(100),
  active: z.boolean(),
  reviewerSkill: z.string().trim().min(1).max(100).default('revision_documental'),
  requirements: requirementsSchema,
});
export type ProcedureInput = z.output<typeof procedureInputSchema>;

export const caseInputSchema = z.strictObject({
  procedureId: procedureIdSchema,
  officialId: officialIdSchema,
  birthDate: z.iso.date(bilingual('use una fecha AAAA-MM-DD', 'use a YYYY-MM-DD date')),
  fullName: z.string().trim().min(3, bilingual('escriba su nombre completo', 'write your full name')).max(200),
  email: z.email(bilingual('correo no válido', 'invalid e-mail')).max(254).optional(),
  phone: z
    .string()
    .transform((p) => p.replace(/[\s()-]/g, ''))
    .pipe(z.string().regex(/^\+?[0-9]{8,15}$/, bilingual('teléfono no válido', 'invalid phone number')))
    .optional(),
});
export type CaseInput = z.output<typeof caseInputSchema>;

export const reviewInputSchema = z
  .strictObject({
    decision: z.enum(['approved', 'rejected']),
    reason: z.string().trim().max(1000).default(''),
  })
  .refine((r) => r.decision === 'approved' || r.reason.length > 0, {
    message: bilingual('indique el motivo del rechazo', 'give the reason for the rejection'),
    path: ['reason'],
  });
export type ReviewInput = z.output<typeof reviewInputSchema>;

export const reassignInputSchema = z.strictObject({
  reason: z.string().trim().min(1, bilingual('indique el motivo', 'give a reason')).max(500),
});

// ── Views (answers) ─────────────────────────────────────────────────────────

const requirementView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  required: z.boolean(),
  accept: z.array(z.string()),
  maxBytes: z.number(),
});

export const procedureViewSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  name: z.string(),
  description: z.string(),
  serviceId: z.string(),
  active: z.boolean(),
  reviewerSkill: z.string(),
  requirements: z.array(requirementView),
  updatedAt: z.string(),
});
export type ProcedureView = z.output<typeof procedureViewSchema>;

export const portalProcedureViewSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  campaignName: z.string(),
  name: z.string(),
  description: z.string(),
  serviceId: z.string(),
  requirements: z.array(requirementView),
});

export const CASE_STATUSES = ['documents_pending', 'in_review', 'changes_requested', 'approved', 'booked', 'closed'] as const;
export const DOCUMENT_VIEW_STATUSES = ['missing', 'pending_review', 'approved', 'rejected'] as const;

export const caseViewSchema = z.object({
  folio: z.string(),
  procedureId: z.string(),
  procedureName: z.string(),
  status: z.enum(CASE_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  documents: z.array(
    z.object({
      requirementId: z.string(),
      name: z.string(),
      required: z.boolean(),
      status: z.enum(DOCUMENT_VIEW_STATUSES),
      reason: z.string().nullable(),
      fileName: z.string().nullable(),
      uploadedAt: z.string().nullable(),
      reviewedAt: z.string().nullable(),
    }),
  ),
  appointment: z
    .object({
      folio: z.string(),
      status: z.string(),
      startsAt: z.string(),
      localDate: z.string(),
      localTime: z.string(),
      officeName: z.string(),
      roomName: z.string(),
      serviceName: z.string(),
    })
    .nullable(),
  notices: z.array(z.object({ at: z.string(), text: z.string() })),
});
export type CaseView = z.output<typeof caseViewSchema>;

export const staffCaseViewSchema = caseViewSchema.extend({
  id: z.string(),
  citizen: z.object({
    fullName: z.string(),
    officialIdKind: z.enum(['nss', 'curp']),
    officialId: z.string(),
    birthDate: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
  }),
  channel: z.string(),
  /** Every version of every document, for the reviewer (the citizen sees the latest only). */
  documentVersions: z.array(
    z.object({
      id: z.string(),
      requirementId: z.string(),
      version: z.number(),
      status: z.enum(['pending_review', 'approved', 'rejected']),
      fileName: z.string(),
      mimeType: z.string(),
      size: z.number(),
      reviewer: z.object({ id: z.string(), name: z.string() }).nullable(),
      reason: z.string().nullable(),
      uploadedAt: z.string(),
      reviewedAt: z.string().nullable(),
    }),
  ),
});
export type StaffCaseView = z.output<typeof staffCaseViewSchema>;

export const freeSlotViewSchema = z.object({
  roomId: z.string(),
  roomName: z.string(),
  officeId: z.string(),
  officeName: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  shiftId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  localDate: z.string(),
  localTime: z.string(),
});
export type FreeSlotView = z.output<typeof freeSlotViewSchema>;
