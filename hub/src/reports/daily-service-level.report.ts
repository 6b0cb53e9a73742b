import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { dailyKpis, type DailyKpis, type KpiGroup } from '../kpi/facts/daily-kpis.js';
import type { MeasuringRules } from '../kpi/measuring-rules.js';
import { channelKindLabel } from './report-settings.js';
import { col, kpisOf, type ReportRow, type ReportTable, SERVICE_LEVEL_COLUMNS, standardNotes } from './report-table.js';

/**
 * The daily service-level report (seed-digest §7.2 "Daily": received, abandoned, attended, SL, AHT,
 * ASA), per campaign and local day: the total, each queue and each channel kind, straight from
 * `dailyKpis` (kpi/facts), which applies the campaign's thresholds through the formula library.
 */
export const DAILY_SERVICE_LEVEL_COLUMNS = [
  col('date', 'text', 'Fecha', 'Date'),
  col('scope', 'text', 'Ámbito', 'Scope'),
  col('name', 'text', 'Nombre', 'Name'),
  col('ref', 'text', 'Identificador', 'Identifier'),
  ...SERVICE_LEVEL_COLUMNS,
  col('pending', 'integer', 'Aún en fila', 'Still queued'),
] as const;

function rowOf(date: string, scope: string, name: string, ref: string, g: KpiGroup): ReportRow {
  return {
    date,
    scope,
    name,
    ref,
    received_gross: g.tally.receivedGross,
    short_abandoned: g.tally.shortAbandoned,
    received: g.tally.received,
    attended: g.tally.attended,
    abandoned: g.tally.abandoned,
    within_threshold: g.tally.attendedWithinThreshold,
    sl_received: g.serviceLevelByReceived,
    sl_attended: g.serviceLevelByAttended,
    asa: g.asa,
    aht: g.aht,
    abandonment: g.abandonment,
    response_within_limit: g.responseWithinLimit,
    pending: g.pendingInQueue,
  };
}

/** Pure: the days' KPI groups → one table (total first, then queues by name, then channel kinds). */
export function buildDailyServiceLevelTable(days: readonly DailyKpis[], queueNames: ReadonlyMap<string, string>, settings: MeasuringRules, generatedAt: Date): ReportTable {
  const rows: ReportRow[] = [];
  for (const day of days) {
    rows.push(rowOf(day.date, 'Total', settings.campaignName, '', day.total));
    const queues = [...day.byQueue].sort((a, b) => (queueNames.get(a.queueId ?? '') ?? '').localeCompare(queueNames.get(b.queueId ?? '') ?? '', 'es'));
    for (const q of queues) rows.push(rowOf(day.date, 'Fila', q.queueId === null ? 'Sin fila' : (queueNames.get(q.queueId) ?? q.queueId), q.queueId ?? '', q));
    for (const c of day.byChannel) rows.push(rowOf(day.date, 'Canal', channelKindLabel(c.channelKind), c.channelKind ?? '', c));
  }
  return {
    id: 'service_level',
    title_es: `Nivel de servicio diario — ${settings.campaignName}`,
    title_en: `Daily service level — ${settings.campaignName}`,
    columns: DAILY_SERVICE_LEVEL_COLUMNS,
    rows,
    notes: standardNotes({
      timeZone: settings.timeZone,
      generatedAt,
      formulas: kpisOf(rows),
      extra: [
        { label_es: 'Umbral de nivel de servicio', label_en: 'Service-level threshold', value: `${settings.serviceLevelThresholdMs / 1000} s (una espera igual al umbral cuenta dentro)` },
        { label_es: 'Denominador del contrato', label_en: 'Contract denominator', value: settings.serviceLevelDenominator === 'received' ? 'recibidas' : 'atendidas' },
        { label_es: 'Umbral de abandono corto', label_en: 'Short-abandon threshold', value: `${settings.shortAbandonThresholdMs / 1000} s` },
        { label_es: 'Límite de respuesta correo/chat', label_en: 'E-mail/chat response limit', value: `${settings.responseLimitMs / 3_600_000} h naturales` },
        { label_es: 'Criterio del día', label_en: 'Day rule', value: 'cada contacto cuenta en el día local y la fila en que entró a la fila por primera vez' },
      ],
    }),
  };
}

export async function dailyServiceLevelReport(db: Kysely<Database>, settings: MeasuringRules, dates: readonly string[], queueNames: ReadonlyMap<string, string>, now: Date): Promise<ReportTable[]> {
  const days: DailyKpis[] = [];
  for (const date of dates) {
    days.push(
      await dailyKpis(db, settings.campaignId, date, {
        timeZone: settings.timeZone,
        serviceLevelThresholdMs: settings.serviceLevelThresholdMs,
        shortAbandonThresholdMs: settings.shortAbandonThresholdMs,
        ahtDefinition: settings.ahtDefinition,
        responseLimitMs: settings.responseLimitMs,
        asOf: now,
      }),
    );
  }
  return [buildDailyServiceLevelTable(days, queueNames, settings, now)];
}
