import { z } from 'zod';
import type { PurgeCertificateRow } from '../db/schema-privacy.js';
import { RETENTION_KINDS } from './retention.schema.js';
import type { PdfSection } from './privacy-pdf.js';

const countsSchema = z.object({ archived: z.number().int(), purged: z.number().int() });
export const purgeCertificateSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  runBy: z.object({ kind: z.enum(['job', 'user']), userId: z.uuid().nullable(), label: z.string() }),
  cutoffs: z.record(z.string(), z.object({ archiveBefore: z.string(), purgeBefore: z.string() })),
  counts: z.record(z.string(), countsSchema),
  purgedIds: z.array(z.string()),
  purgedIdsSha256: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
});
export type PurgeCertificate = z.output<typeof purgeCertificateSchema>;

export function toPurgeCertificate(row: PurgeCertificateRow): PurgeCertificate {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    runBy: { kind: row.run_by_kind, userId: row.run_by_user_id, label: row.run_by_label },
    cutoffs: row.cutoffs,
    counts: row.counts,
    purgedIds: row.purged_ids,
    purgedIdsSha256: row.purged_ids_sha256,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at.toISOString(),
  };
}

const KIND_LABEL: Record<string, string> = { messages: 'Mensajes', attachments: 'Adjuntos', recordings: 'Grabaciones' };

/** The signed evidence of secure erase (seed L1212, L3499–L3500): what the PDF says. */
export function certificateSections(certificate: PurgeCertificate, campaignName: string): PdfSection[] {
  return [
    {
      heading: 'Datos del certificado',
      pairs: [
        ['Certificado', certificate.id],
        ['Campaña', `${campaignName} (${certificate.campaignId})`],
        ['Ejecutado por', `${certificate.runBy.kind === 'job' ? 'proceso programado' : 'usuario'} ${certificate.runBy.label}`],
        ['Inicio', certificate.startedAt],
        ['Fin', certificate.finishedAt],
        ['SHA-256 de los identificadores depurados', certificate.purgedIdsSha256],
      ],
    },
    {
      heading: 'Cortes y conteos por tipo',
      lines: RETENTION_KINDS.map((kind) => {
        const cut = certificate.cutoffs[kind];
        const count = certificate.counts[kind];
        return `${KIND_LABEL[kind] ?? kind}: archivados ${count?.archived ?? 0} (antes de ${cut?.archiveBefore ?? '—'}); depurados ${count?.purged ?? 0} (antes de ${cut?.purgeBefore ?? '—'})`;
      }),
    },
    {
      heading: 'Identificadores depurados',
      lines: certificate.purgedIds.length === 0 ? ['Ninguno (solo se archivó).'] : certificate.purgedIds,
    },
    {
      heading: 'Verificación',
      lines: ['El SHA-256 se calcula sobre la lista ordenada de identificadores "<tipo>:<id>" unidos por salto de línea (\\n).', 'Firma del responsable: ______________________________'],
    },
  ];
}
