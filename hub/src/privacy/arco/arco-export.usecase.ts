import type { Kysely } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import type { ContactExport } from '../../contacts/contact.schema.js';
import { exportContact } from '../../contacts/export-contact.usecase.js';
import type { Database } from '../../db/schema.js';
import type { PdfSection } from '../privacy-pdf.js';

/** contacts/export-contact.usecase.ts (conversations, messages, identities, official ids, events) plus appointments, cases and survey answers. */
export interface ArcoExport extends ContactExport {
  folio: string;
  appointments: { id: string; folio: string; campaignId: string; status: string; startsAt: string; officialIdKind: string; officialId: string }[];
  cases: { id: string; folio: string; campaignId: string; status: string; fullName: string; officialIdKind: string; officialId: string; email: string | null; phone: string | null }[];
  surveyAnswers: { conversationId: string; folio: string; rating: number | null; comment: string | null; answers: Record<string, boolean>; createdAt: string }[];
}

export async function arcoExport(db: Kysely<Database>, principal: Principal, request: { folio: string; contactId: string }, meta: { ip: string | null; userAgent: string | null }): Promise<ArcoExport> {
  const base = await exportContact(db, principal, request.contactId, meta);
  const conversationIds = base.conversations.map((c) => c.id);
  const officialIds = [base.contact.curp, base.contact.nss].filter((v): v is string => v !== null);
  const appointments = await db
    .selectFrom('appointments')
    .select(['id', 'folio', 'campaign_id', 'status', 'starts_at', 'official_id_kind', 'official_id'])
    .where('contact_id', '=', request.contactId)
    .orderBy('starts_at')
    .execute();
  const cases =
    conversationIds.length + officialIds.length === 0
      ? []
      : await db
          .selectFrom('appointment_cases')
          .select(['id', 'folio', 'campaign_id', 'status', 'full_name', 'official_id_kind', 'official_id', 'email', 'phone'])
          .where((eb) => eb.or([...(conversationIds.length > 0 ? [eb('conversation_id', 'in', conversationIds)] : []), ...(officialIds.length > 0 ? [eb('official_id', 'in', officialIds)] : [])]))
          .orderBy('created_at')
          .execute();
  const surveys =
    conversationIds.length === 0
      ? []
      : await db.selectFrom('survey_responses').select(['conversation_id', 'folio', 'rating', 'comment', 'answers', 'created_at']).where('conversation_id', 'in', conversationIds).orderBy('created_at').execute();
  return {
    ...base,
    folio: request.folio,
    appointments: appointments.map((a) => ({ id: a.id, folio: a.folio, campaignId: a.campaign_id, status: a.status, startsAt: a.starts_at.toISOString(), officialIdKind: a.official_id_kind, officialId: a.official_id })),
    cases: cases.map((c) => ({ id: c.id, folio: c.folio, campaignId: c.campaign_id, status: c.status, fullName: c.full_name, officialIdKind: c.official_id_kind, officialId: c.official_id, email: c.email, phone: c.phone })),
    surveyAnswers: surveys.map((s) => ({ conversationId: s.conversation_id, folio: s.folio, rating: s.rating, comment: s.comment, answers: s.answers, createdAt: s.created_at.toISOString() })),
  };
}

/** The same data, readable by the citizen: one section per kind of data. */
export function arcoExportSections(data: ArcoExport): PdfSection[] {
  const c = data.contact;
  return [
    {
      heading: 'Titular',
      pairs: [
        ['Folio de la solicitud', data.folio],
        ['Nombre', c.displayName ?? '—'],
        ['CURP', c.curp ?? '—'],
        ['RFC', c.rfc ?? '—'],
        ['NSS', c.nss ?? '—'],
        ['Fecha de la exportación', data.exportedAt],
      ],
    },
    { heading: 'Medios de contacto', lines: data.identities.length === 0 ? ['Ninguno'] : data.identities.map((i) => `${i.kind}: ${i.value}`) },
    {
      heading: 'Conversaciones y mensajes',
      lines: data.conversations.length === 0 ? ['Ninguna'] : data.conversations.flatMap((v) => [`Folio ${v.folio} — ${v.status} — abierta ${v.openedAt}`, ...v.messages.map((m) => `  ${m.createdAt} ${m.direction === 'inbound' ? 'Usted' : 'Institución'}: ${m.text ?? `[${m.contentType}]`}`)]),
    },
    { heading: 'Citas', lines: data.appointments.length === 0 ? ['Ninguna'] : data.appointments.map((a) => `${a.folio} — ${a.startsAt} — ${a.status} — ${a.officialIdKind.toUpperCase()} ${a.officialId}`) },
    { heading: 'Trámites', lines: data.cases.length === 0 ? ['Ninguno'] : data.cases.map((k) => `${k.folio} — ${k.status} — ${k.fullName} — ${k.officialIdKind.toUpperCase()} ${k.officialId}`) },
    { heading: 'Encuestas', lines: data.surveyAnswers.length === 0 ? ['Ninguna'] : data.surveyAnswers.map((s) => `${s.folio}: calificación ${s.rating ?? '—'}${s.comment ? `; comentario: ${s.comment}` : ''}`) },
  ];
}
