import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { KpiInterval } from '../kpi/aggregates/kpi-series.contract.js';
import { kpiSeries } from '../kpi/aggregates/kpi-series.js';
import { localDay } from '../kpi/facts/daily-kpis.js';
import type { MeasuringRules } from '../kpi/measuring-rules.js';
import { buildAgentTable } from './agent.report.js';
import { dailyServiceLevelReport } from './daily-service-level.report.js';
import { buildIntervalTable } from './interval.report.js';
import { MAX_DAYS_BY_INTERVAL, type ReportPeriod } from './report-params.js';
import { loadNames } from './report-settings.js';
import type { ReportTable } from './report-table.js';
import { buildTier2Tables, loadTier2Transfers } from './tier2-transfers.report.js';
import { voicemailReportTables } from './voicemail.report.js';

/**
 * The report registry (CONVENTIONS 7: typed data, not globs): what each report is, which
 * parameters it takes, how long a period it allows, and how it is built. Adding a report = a
 * builder file and one entry here.
 */
export type ReportId = 'daily-service-level' | 'intervals' | 'agents' | 'voicemail' | 'tier2-transfers';

export interface ReportRun {
  readonly db: Kysely<Database>;
  readonly settings: MeasuringRules;
  readonly period: ReportPeriod;
  readonly interval: KpiInterval;
  readonly queueId?: string;
  readonly channelKind?: string;
  readonly now: Date;
}

export interface ReportParameter {
  readonly name: string;
  readonly required: boolean;
  readonly values?: readonly string[];
  readonly description_es: string;
  readonly description_en: string;
}

export interface ReportDefinition {
  readonly id: ReportId;
  readonly name_es: string;
  readonly name_en: string;
  readonly description_es: string;
  readonly description_en: string;
  readonly tables: readonly { readonly id: string; readonly title_es: string; readonly title_en: string }[];
  readonly parameters: readonly ReportParameter[];
  readonly maxDays: (interval: KpiInterval) => number;
  readonly build: (run: ReportRun) => Promise<ReportTable[]>;
}

const P = {
  campaignId: { name: 'campaignId', required: true, description_es: 'Campaña (uuid)', description_en: 'Campaign (uuid)' },
  date: { name: 'date', required: false, description_es: 'Un día local AAAA-MM-DD (o bien from y to)', description_en: 'One local day YYYY-MM-DD (or from and to)' },
  from: { name: 'from', required: false, description_es: 'Primer día local, inclusive', description_en: 'First local day, inclusive' },
  to: { name: 'to', required: false, description_es: 'Último día local, inclusive', description_en: 'Last local day, inclusive' },
  interval: { name: 'interval', required: false, values: ['half_hour', 'day', 'week', 'month'], description_es: 'Intervalo (por omisión half_hour)', description_en: 'Interval (default half_hour)' },
  queueId: { name: 'queueId', required: false, description_es: 'Solo esta fila', description_en: 'Only this queue' },
  channelKind: { name: 'channelKind', required: false, description_es: 'Solo este tipo de canal (voice, webchat, email…)', description_en: 'Only this channel kind (voice, webchat, email…)' },
  format: { name: 'format', required: false, values: ['json', 'csv', 'xlsx'], description_es: 'Formato (por omisión json)', description_en: 'Format (default json)' },
  lang: { name: 'lang', required: false, values: ['es', 'en'], description_es: 'Idioma de encabezados de CSV/XLSX', description_en: 'CSV/XLSX header language' },
  table: { name: 'table', required: false, description_es: 'CSV: tabla a descargar (por omisión la primera)', description_en: 'CSV: which table (default the first)' },
} as const satisfies Record<string, ReportParameter>;

const COMMON = [P.campaignId, P.date, P.from, P.to, P.format, P.lang, P.table];
const spanOf = (run: ReportRun) => ({ startMs: localDay(run.period.from, run.settings.timeZone).startMs, endMs: localDay(run.period.to, run.settings.timeZone).endMs });
const seriesSettings = (s: MeasuringRules) => ({
  timeZone: s.timeZone,
  serviceLevelThresholdMs: s.serviceLevelThresholdMs,
  shortAbandonThresholdMs: s.shortAbandonThresholdMs,
  ahtDefinition: s.ahtDefinition,
  responseLimitMs: s.responseLimitMs,
});

export const REPORTS: readonly ReportDefinition[] = [
  {
    id: 'daily-service-level',
    name_es: 'Nivel de servicio diario',
    name_en: 'Daily service level',
    description_es: 'Por día: total de la campaña, cada fila y cada canal (recibidas, abandonos, atendidas, nivel de servicio, ASA, AHT, abandono, correo/chat en 13 h).',
    description_en: 'Per day: campaign total, each queue and each channel (received, abandons, attended, service level, ASA, AHT, abandonment, e-mail/chat within 13 h).',
    tables: [{ id: 'service_level', title_es: 'Nivel de servicio diario', title_en: 'Daily service level' }],
    parameters: COMMON,
    maxDays: () => 31,
    build: async (run) => dailyServiceLevelReport(run.db, run.settings, run.period.dates, (await loadNames(run.db, run.settings.campaignId)).queues, run.now),
  },
  {
    id: 'intervals',
    name_es: 'Reporte por intervalo',
    name_en: 'Interval report',
    description_es: 'Indicadores por intervalo de 30 minutos, día, semana o mes, con los intervalos sin tráfico.',
    description_en: 'KPIs per 30-minute, day, week or month interval, empty intervals included.',
    tables: [{ id: 'intervals', title_es: 'Reporte por intervalo', title_en: 'Interval report' }],
    parameters: [...COMMON, P.interval, P.queueId, P.channelKind],
    maxDays: (interval) => MAX_DAYS_BY_INTERVAL[interval],
    build: async (run) => {
      const series = await kpiSeries(run.db, {
        campaignId: run.settings.campaignId,
        from: run.period.from,
        to: run.period.to,
        interval: run.interval,
        ...seriesSettings(run.settings),
        asOf: run.now,
        ...(run.queueId === undefined ? {} : { queueId: run.queueId }),
        ...(run.channelKind === undefined ? {} : { channelKind: run.channelKind }),
      });
      return [buildIntervalTable(series, (await loadNames(run.db, run.settings.campaignId)).queues, run.settings, run.now)];
    },
  },
  {
    id: 'agents',
    name_es: 'Reporte por asesor',
    name_en: 'Agent report',
    description_es: 'Por asesor en el periodo: atendidas, tiempos de conversación, espera y trabajo posterior, AHT, ocupación telefonía y chat, tiempo por estado, transferencias.',
    description_en: 'Per agent over the period: attended, talk, hold and after-contact time, AHT, phone and chat occupancy, time per state, transfers.',
    tables: [{ id: 'agents', title_es: 'Reporte por asesor', title_en: 'Agent report' }],
    parameters: COMMON,
    maxDays: () => 92,
    build: async (run) => {
      const series = await kpiSeries(run.db, { campaignId: run.settings.campaignId, from: run.period.from, to: run.period.to, interval: 'day', groupBy: ['agent'], ...seriesSettings(run.settings), asOf: run.now });
      const agentIds = [...new Set(series.rows.flatMap((r) => (r.agentId === null ? [] : [r.agentId])))];
      return [buildAgentTable(series, (await loadNames(run.db, run.settings.campaignId, agentIds)).agents, run.settings, run.now)];
    },
  },
  {
    id: 'voicemail',
    name_es: 'Mensajes de voz',
    name_en: 'Voicemail',
    description_es: 'Cada mensaje de voz: fecha, hora, número, duración, folio, estado, quién lo atendió y la devolución de llamada.',
    description_en: 'Each voicemail: date, time, number, duration, folio, status, who handled it and the call-back.',
    tables: [{ id: 'voicemail', title_es: 'Mensajes de voz', title_en: 'Voicemail' }],
    parameters: COMMON,
    maxDays: () => 31,
    build: (run) => voicemailReportTables(run.db, run.settings, run.period.dates, run.now),
  },
  {
    id: 'tier2-transfers',
    name_es: 'Transferencias a segundo nivel',
    name_en: 'Tier-2 transfers',
    description_es: 'Cada contacto transferido a segundo nivel (folio, hora, asesor, fila, motivo) y el conteo por motivo.',
    description_en: 'Each contact transferred to tier 2 (folio, time, agent, queue, reason) and the count per reason.',
    tables: [
      { id: 'detail', title_es: 'Transferencias a segundo nivel', title_en: 'Tier-2 transfers' },
      { id: 'by_reason', title_es: 'Por motivo', title_en: 'By reason' },
    ],
    parameters: COMMON,
    maxDays: () => 92,
    build: async (run) => {
      const transfers = await loadTier2Transfers(run.db, run.settings.campaignId, spanOf(run));
      const agentIds = [...new Set(transfers.flatMap((t) => (t.fromAgentId === null ? [] : [t.fromAgentId])))];
      const names = await loadNames(run.db, run.settings.campaignId, agentIds);
      return buildTier2Tables(transfers, names, run.settings, `${run.period.from} a ${run.period.to}`, run.now);
    },
  },
];

export const findReport = (id: string): ReportDefinition | undefined => REPORTS.find((r) => r.id === id);
