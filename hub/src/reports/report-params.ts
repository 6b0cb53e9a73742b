import { z } from 'zod';
import { HubError } from '../errors/error-registry.js';
import type { KpiInterval } from '../kpi/aggregates/kpi-series.contract.js';

/** Query parameters of `GET /api/v1/reports/:reportId`, Spanish first in every message. */
export const reportQuerySchema = z.object({
  campaignId: z.uuid('Campaña no válida / invalid campaign'),
  date: z.iso.date('Fecha no válida, use AAAA-MM-DD / invalid date, use YYYY-MM-DD').optional(),
  from: z.iso.date('Fecha inicial no válida, use AAAA-MM-DD / invalid from date, use YYYY-MM-DD').optional(),
  to: z.iso.date('Fecha final no válida, use AAAA-MM-DD / invalid to date, use YYYY-MM-DD').optional(),
  interval: z.enum(['half_hour', 'day', 'week', 'month'], 'Intervalo no válido: half_hour, day, week o month / invalid interval').optional(),
  format: z.enum(['json', 'csv', 'xlsx'], 'Formato no válido: json, csv o xlsx / invalid format').default('json'),
  lang: z.enum(['es', 'en'], 'Idioma no válido: es o en / invalid language').default('es'),
  /** CSV holds one table: which one (default the report's first). */
  table: z.string().regex(/^[a-z_]{1,40}$/, 'Tabla no válida / invalid table').optional(),
  queueId: z.uuid('Fila no válida / invalid queue').optional(),
  channelKind: z.string().regex(/^[a-z_]{1,30}$/, 'Canal no válido / invalid channel kind').optional(),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
  /** Every local date from `from` to `to`, inclusive. */
  readonly dates: readonly string[];
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

const invalid = (es: string, en: string, path: string): HubError => new HubError('HUB_ERR_VALIDATION', `${es} / ${en}`, [{ path: `querystring.${path}`, message: es }]);

/** `date` alone, or `from` and `to` (inclusive), no longer than `maxDays`. */
export function resolvePeriod(query: Pick<ReportQuery, 'date' | 'from' | 'to'>, maxDays: number): ReportPeriod {
  if (query.date !== undefined && (query.from !== undefined || query.to !== undefined)) {
    throw invalid('Indique date o bien from y to, no ambos', 'give date, or from and to, not both', 'date');
  }
  const from = query.date ?? query.from;
  const to = query.date ?? query.to;
  if (from === undefined || to === undefined) throw invalid('Falta el periodo: indique date, o from y to (AAAA-MM-DD)', 'missing period: give date, or from and to (YYYY-MM-DD)', from === undefined ? 'from' : 'to');
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days < 1) throw invalid('La fecha final es anterior a la inicial', 'to is before from', 'to');
  if (days > maxDays) throw invalid(`El periodo es de ${days} días; este reporte admite hasta ${maxDays} días`, `the period is ${days} days; this report allows up to ${maxDays} days`, 'to');
  const first = dayNumber(from);
  const dates = Array.from({ length: days }, (_, i) => new Date((first + i) * DAY_MS).toISOString().slice(0, 10));
  return { from, to, dates };
}

/** The longest period per interval: 92 days of half hours (4,416 buckets), a year of days… */
export const MAX_DAYS_BY_INTERVAL: Record<KpiInterval, number> = { half_hour: 92, day: 366, week: 731, month: 1096 };
