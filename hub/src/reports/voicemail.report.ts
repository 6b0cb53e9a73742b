import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { voicemailReport, type VoicemailReport } from '../voice/voicemail/voicemail-report.js';
import type { MeasuringRules } from '../kpi/measuring-rules.js';
import { col, type ReportRow, type ReportTable, standardNotes } from './report-table.js';

/**
 * The voicemail report (seed-digest §7.2: ID, origin, reason, date and time) is built by the voice
 * module (`voice/voicemail/voicemail-report.ts`); here it only becomes a ReportTable so the report
 * API, the exports and the screen serve it like the others.
 */
export const VOICEMAIL_COLUMNS = [
  col('date', 'text', 'Fecha', 'Date'),
  col('local_time', 'text', 'Hora', 'Time'),
  col('folio', 'text', 'Folio', 'Folio'),
  col('from', 'text', 'Número', 'Number'),
  col('duration_s', 'seconds', 'Duración (s)', 'Duration (s)'),
  col('outside_hours', 'text', 'Fuera de horario', 'Outside hours'),
  col('status', 'text', 'Estado', 'Status'),
  col('attended_by', 'text', 'Atendido por', 'Attended by'),
  col('callback_status', 'text', 'Devolución de llamada', 'Call-back'),
  col('callback_outcome', 'text', 'Resultado de la devolución', 'Call-back outcome'),
] as const;

/** Pure: the voice module's daily reports → one table, totals in the notes. */
export function buildVoicemailTable(days: readonly VoicemailReport[], settings: MeasuringRules, generatedAt: Date): ReportTable {
  const rows: ReportRow[] = days.flatMap((day) =>
    day.rows.map((r) => ({
      date: day.date,
      local_time: r.localTime,
      folio: r.folio,
      from: r.from,
      duration_s: r.durationSeconds,
      outside_hours: r.outsideHours ? 'sí' : 'no',
      status: r.statusEs,
      attended_by: r.attendedBy ?? '',
      callback_status: r.callbackStatus ?? '',
      callback_outcome: r.callbackOutcome ?? '',
    })),
  );
  const sum = (key: keyof VoicemailReport['totals']): number => days.reduce((total, d) => total + d.totals[key], 0);
  const voicemails = sum('voicemails');
  const seconds = sum('seconds');
  return {
    id: 'voicemail',
    title_es: `Mensajes de voz — ${settings.campaignName}`,
    title_en: `Voicemail — ${settings.campaignName}`,
    columns: VOICEMAIL_COLUMNS,
    rows,
    notes: standardNotes({
      timeZone: settings.timeZone,
      generatedAt,
      extra: [
        { label_es: 'Mensajes', label_en: 'Voicemails', value: String(voicemails) },
        { label_es: 'Duración promedio', label_en: 'Average duration', value: voicemails === 0 ? 'sin mensajes' : `${seconds} s / ${voicemails} = ${(seconds / voicemails).toFixed(1)} s` },
        { label_es: 'Fuera de horario', label_en: 'Outside hours', value: String(sum('outsideHours')) },
        { label_es: 'Atendidos / en espera', label_en: 'Attended / waiting', value: `${sum('attended')} / ${sum('waiting')}` },
        { label_es: 'Devoluciones solicitadas / completadas', label_en: 'Call-backs requested / completed', value: `${sum('callbacksRequested')} / ${sum('callbacksCompleted')}` },
      ],
    }),
  };
}

export async function voicemailReportTables(db: Kysely<Database>, settings: MeasuringRules, dates: readonly string[], now: Date): Promise<ReportTable[]> {
  const days: VoicemailReport[] = [];
  for (const date of dates) days.push(await voicemailReport(db, settings.campaignId, date));
  return [buildVoicemailTable(days, settings, now)];
}
