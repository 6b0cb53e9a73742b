import { z } from 'zod';
import type { ArcoRequestRow } from '../../db/schema-privacy.js';
import { bilingual } from '../../router/config/routing-problem.js';

export const ARCO_KINDS = ['acceso', 'rectificacion', 'cancelacion', 'oposicion'] as const;
export const ARCO_FOLIO = /^ARCO-\d{8}-\d{6}$/;

export const arcoCreateSchema = z
  .object({
    kind: z.enum(ARCO_KINDS, { error: bilingual('tipo: acceso, rectificacion, cancelacion u oposicion', 'kind: acceso, rectificacion, cancelacion or oposicion') }),
    campaignId: z.uuid(),
    contactId: z.uuid(),
    requester: z
      .object({
        name: z.string().trim().min(1).max(200),
        email: z.email().max(254).optional(),
        phone: z.string().trim().regex(/^\+?[0-9 ()-]{8,20}$/, bilingual('teléfono no válido', 'invalid phone')).optional(),
        relation: z.enum(['titular', 'representante']).default('titular'),
      })
      .strict(),
    description: z.string().trim().max(2000).optional(),
  })
  .strict();
export type ArcoCreate = z.output<typeof arcoCreateSchema>;

export const arcoRectifySchema = z
  .object({
    displayName: z.string().trim().min(1).max(200).optional(),
    curp: z.string().max(40).nullable().optional(),
    rfc: z.string().max(40).nullable().optional(),
    nss: z.string().max(40).nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: bilingual('indique al menos un campo', 'give at least one field') });
export type ArcoRectify = z.output<typeof arcoRectifySchema>;

export const arcoResolveSchema = z.object({ status: z.enum(['atendida', 'rechazada']), note: z.string().trim().min(1).max(2000) }).strict();

export const arcoRequestSchema = z.object({
  id: z.uuid(),
  folio: z.string(),
  campaignId: z.uuid(),
  contactId: z.uuid(),
  kind: z.enum(ARCO_KINDS),
  status: z.enum(['recibida', 'atendida', 'rechazada']),
  requester: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), relation: z.enum(['titular', 'representante']) }),
  description: z.string().nullable(),
  resolution: z.unknown(),
  createdBy: z.uuid(),
  createdAt: z.string(),
  resolvedBy: z.uuid().nullable(),
  resolvedAt: z.string().nullable(),
});
export type ArcoRequestView = z.output<typeof arcoRequestSchema>;

export function toArcoView(row: ArcoRequestRow): ArcoRequestView {
  return {
    id: row.id,
    folio: row.folio,
    campaignId: row.campaign_id,
    contactId: row.contact_id,
    kind: row.kind,
    status: row.status,
    requester: { name: row.requester_name, email: row.requester_email, phone: row.requester_phone, relation: row.requester_relation },
    description: row.description,
    resolution: row.resolution ?? null,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at ? row.resolved_at.toISOString() : null,
  };
}
