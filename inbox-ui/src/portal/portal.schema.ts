/**
 * The public portal API's answers (/portal/v1, hub/src/appointments/README.md «Public portal API»),
 * parsed with zod at the page's boundary: a hub that answers something else is an error, not a blank page.
 */
import { z } from 'zod';

// The page's CSP has no 'unsafe-eval': zod must not try to compile its parsers with new Function.
z.config({ jitless: true });

export const requirementSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable().default(''),
  required: z.boolean(),
  accept: z.array(z.string()),
  maxBytes: z.number(),
});
export type Requirement = z.infer<typeof requirementSchema>;

export const procedureSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  campaignName: z.string(),
  name: z.string(),
  description: z.string().nullable().default(''),
  serviceId: z.string(),
  requirements: z.array(requirementSchema),
});
export type Procedure = z.infer<typeof procedureSchema>;
export const proceduresAnswer = z.object({ procedures: z.array(procedureSchema) });

export const CASE_STATUSES = ['documents_pending', 'in_review', 'changes_requested', 'approved', 'booked', 'closed'] as const;
export const DOCUMENT_STATUSES = ['missing', 'pending_review', 'approved', 'rejected'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const caseDocumentSchema = z.object({
  requirementId: z.string(),
  name: z.string(),
  required: z.boolean(),
  status: z.enum(DOCUMENT_STATUSES),
  reason: z.string().nullable(),
  fileName: z.string().nullable(),
  uploadedAt: z.string().nullable(),
  reviewedAt: z.string().nullable(),
});
export type CaseDocument = z.infer<typeof caseDocumentSchema>;

export const caseAppointmentSchema = z.object({
  folio: z.string(),
  status: z.string(),
  startsAt: z.string(),
  localDate: z.string(),
  localTime: z.string(),
  officeName: z.string(),
  roomName: z.string(),
  serviceName: z.string(),
});
export type CaseAppointment = z.infer<typeof caseAppointmentSchema>;

export const caseSchema = z.object({
  folio: z.string(),
  procedureId: z.string(),
  procedureName: z.string(),
  status: z.enum(CASE_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  documents: z.array(caseDocumentSchema),
  appointment: caseAppointmentSchema.nullable(),
  notices: z.array(z.object({ at: z.string(), text: z.string() })),
});
export type CaseView = z.infer<typeof caseSchema>;
export const caseAnswer = z.object({ case: caseSchema });

export const slotSchema = z.object({
  roomId: z.string(),
  roomName: z.string(),
  officeId: z.string(),
  officeName: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  localDate: z.string(),
  localTime: z.string(),
});
export type FreeSlot = z.infer<typeof slotSchema>;
export const slotsAnswer = z.object({ slots: z.array(slotSchema) });
