import type { VoiceUsageReport } from './voice-usage.query.js';

/**
 * The usage report as CSV for a spreadsheet (Spanish headers): one line per call leg with its
 * seconds per concept and the cross-check with Twilio. A UTF-8 BOM makes Excel read the accents;
 * a cell a spreadsheet would take for a formula gets an apostrophe (CSV injection), as in
 * mass-mail/bad-addresses-csv.ts.
 */
export const USAGE_CSV_CONCEPTS = ['ivr_seconds', 'queue_seconds', 'talk_seconds', 'hold_seconds', 'voicemail_seconds', 'voicemail', 'survey_seconds', 'blaster_message'] as const;

export const USAGE_CSV_HEADER = [
  'call_sid',
  'tipo',
  'folio',
  'inicio',
  'fin',
  'seg_ivr',
  'seg_cola',
  'seg_conversacion',
  'seg_espera',
  'seg_buzon',
  'buzones',
  'seg_encuesta',
  'mensajes_blaster',
  'seg_conceptos',
  'seg_nuestros',
  'seg_twilio',
  'diferencia',
  'discrepancia',
] as const;

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function voiceUsageCsv(report: VoiceUsageReport): string {
  const lines = [USAGE_CSV_HEADER.join(',')];
  for (const c of report.calls) {
    const concepts = USAGE_CSV_CONCEPTS.map((k) => String(c.concepts[k] ?? 0));
    const row = [
      c.callSid,
      c.kind,
      c.folio ?? '',
      c.startedAt,
      c.endedAt,
      ...concepts,
      String(c.conceptSeconds),
      String(c.ourSeconds),
      c.twilioSeconds === null ? '' : String(c.twilioSeconds),
      c.differenceSeconds === null ? '' : String(c.differenceSeconds),
      c.mismatch ? 'sí' : 'no',
    ];
    lines.push(row.map(cell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
