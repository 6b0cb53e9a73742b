import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';

/** The daily voicemail report (issue 8 item 5): one row per voicemail of the campaign's local day, and totals. */
export const voicemailReportRowSchema = z.object({
  voicemailId: z.uuid(),
  recordedAt: z.string(),
  /** HH:MM:SS in the campaign's time zone (America/Mexico_City by default). */
  localTime: z.string(),
  from: z.string(),
  durationSeconds: z.number(),
  outsideHours: z.boolean(),
  folio: z.string(),
  conversationId: z.uuid(),
  status: z.string(),
  statusEs: z.string(),
  attendedBy: z.string().nullable(),
  callbackStatus: z.string().nullable(),
  callbackOutcome: z.string().nullable(),
});
export type VoicemailReportRow = z.infer<typeof voicemailReportRowSchema>;

export const voicemailReportSchema = z.object({
  campaignId: z.uuid(),
  date: z.string(),
  timeZone: z.string(),
  rows: z.array(voicemailReportRowSchema),
  totals: z.object({
    voicemails: z.number(),
    seconds: z.number(),
    outsideHours: z.number(),
    attended: z.number(),
    waiting: z.number(),
    callbacksRequested: z.number(),
    callbacksCompleted: z.number(),
  }),
});
export type VoicemailReport = z.infer<typeof voicemailReportSchema>;

const STATUS_ES: Record<string, string> = {
  bot: 'con el bot',
  queued: 'en fila',
  offered: 'ofrecido a un asesor',
  assigned: 'en atención',
  waiting_contact: 'en espera de devolución de llamada',
  resolved: 'atendido',
  abandoned: 'cerrado sin atender',
};

export async function voicemailReport(db: Kysely<Database>, campaignId: string, date: string): Promise<VoicemailReport> {
  const campaign = await db.selectFrom('campaigns').select('time_zone').where('id', '=', campaignId).executeTakeFirstOrThrow();
  const zone = campaign.time_zone;
  // The local day's bounds as instants, so the index on recorded_at serves the range.
  const { rows } = await sql<{
    id: string;
    recorded_at: Date;
    local_time: string;
    from_number: string;
    duration_seconds: number;
    outside_hours: boolean;
    folio: string;
    conversation_id: string;
    status: string;
    attended_by: string | null;
    callback_status: string | null;
    callback_outcome: string | null;
  }>`
    SELECT vm.id, vm.recorded_at, to_char(vm.recorded_at AT TIME ZONE ${zone}, 'HH24:MI:SS') AS local_time,
           vm.from_number, vm.duration_seconds, vm.outside_hours, vm.folio, vm.conversation_id, c.status,
           u.display_name AS attended_by, cb.status AS callback_status, cb.outcome AS callback_outcome
      FROM voice_voicemails vm
      JOIN conversations c ON c.id = vm.conversation_id
      LEFT JOIN users u ON u.id = c.assignee_id
      LEFT JOIN LATERAL (
        SELECT status, outcome FROM voice_callbacks
         WHERE conversation_id = vm.conversation_id AND requested_at >= vm.recorded_at
         ORDER BY requested_at DESC LIMIT 1
      ) cb ON true
     WHERE vm.campaign_id = ${campaignId}
       AND vm.recorded_at >= (${date}::date::timestamp AT TIME ZONE ${zone})
       AND vm.recorded_at < ((${date}::date + 1)::timestamp AT TIME ZONE ${zone})
     ORDER BY vm.recorded_at, vm.id`.execute(db);
  const reportRows: VoicemailReportRow[] = rows.map((r) => ({
    voicemailId: r.id,
    recordedAt: r.recorded_at.toISOString(),
    localTime: r.local_time,
    from: r.from_number,
    durationSeconds: r.duration_seconds,
    outsideHours: r.outside_hours,
    folio: r.folio,
    conversationId: r.conversation_id,
    status: r.status,
    statusEs: STATUS_ES[r.status] ?? r.status,
    attendedBy: r.attended_by,
    callbackStatus: r.callback_status,
    callbackOutcome: r.callback_outcome,
  }));
  return {
    campaignId,
    date,
    timeZone: zone,
    rows: reportRows,
    totals: {
      voicemails: reportRows.length,
      seconds: reportRows.reduce((sum, r) => sum + r.durationSeconds, 0),
      outsideHours: reportRows.filter((r) => r.outsideHours).length,
      attended: reportRows.filter((r) => r.status === 'assigned' || r.status === 'resolved').length,
      waiting: reportRows.filter((r) => r.status === 'queued' || r.status === 'offered' || r.status === 'waiting_contact').length,
      callbacksRequested: reportRows.filter((r) => r.callbackStatus !== null).length,
      callbacksCompleted: reportRows.filter((r) => r.callbackStatus === 'completed').length,
    },
  };
}

function csvCell(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  // A leading = + - @ would be a formula in a spreadsheet (CSV injection); numbers keep their sign.
  const safe = typeof value === 'string' && /^[=+\-@]/.test(text) && !/^\+\d+$/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_HEADER = ['fecha', 'hora', 'numero', 'duracion_s', 'fuera_de_horario', 'folio', 'estado', 'atendido_por', 'devolucion_llamada', 'resultado_devolucion'];

export function voicemailReportCsv(report: VoicemailReport): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of report.rows) {
    lines.push([report.date, r.localTime, r.from, r.durationSeconds, r.outsideHours ? 'sí' : 'no', r.folio, r.statusEs, r.attendedBy, r.callbackStatus, r.callbackOutcome].map(csvCell).join(','));
  }
  const t = report.totals;
  lines.push(['total', '', `${t.voicemails} mensajes`, t.seconds, t.outsideHours, '', `${t.attended} atendidos, ${t.waiting} en espera`, '', `${t.callbacksRequested} solicitadas`, `${t.callbacksCompleted} completadas`].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
