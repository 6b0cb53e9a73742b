import type { Lang } from '../../i18n/lang.js';
import type { KpiResult, ReportCellValue, ReportColumn, ReportInterval } from './reports-api.js';

/**
 * The report form's pure parts: the default day, the checks done before asking the hub (which
 * has the last word), the query string, and how a cell reads on screen.
 */
export interface ReportForm {
  reportId: string;
  from: string;
  to: string;
  interval: ReportInterval;
}

export type RangeProblem = 'date' | 'order' | 'long';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const dayNumber = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

/** Yesterday on the campaign's clock (daily reports are read the next morning, seed-digest §7.2). */
export function yesterdayIn(now: Date, timeZone: string): string {
  const at = new Date(now.getTime() - DAY_MS);
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

export function rangeProblems(form: Pick<ReportForm, 'from' | 'to'>, maxDays: number): { from?: RangeProblem; to?: RangeProblem } {
  const problems: { from?: RangeProblem; to?: RangeProblem } = {};
  if (!DATE.test(form.from) || Number.isNaN(dayNumber(form.from))) problems.from = 'date';
  if (!DATE.test(form.to) || Number.isNaN(dayNumber(form.to))) problems.to = 'date';
  if (problems.from || problems.to) return problems;
  const days = dayNumber(form.to) - dayNumber(form.from) + 1;
  if (days < 1) problems.to = 'order';
  else if (days > maxDays) problems.to = 'long';
  return problems;
}

export function reportQuery(campaignId: string, form: ReportForm, options: { format: 'json' | 'csv' | 'xlsx'; lang: Lang; withInterval: boolean; table?: string }): URLSearchParams {
  const query = new URLSearchParams({ campaignId });
  if (form.from === form.to) query.set('date', form.from);
  else {
    query.set('from', form.from);
    query.set('to', form.to);
  }
  if (options.withInterval) query.set('interval', form.interval);
  query.set('format', options.format);
  query.set('lang', options.lang === 'en' ? 'en' : 'es');
  if (options.table) query.set('table', options.table);
  return query;
}

export function isKpi(cell: ReportCellValue | undefined): cell is KpiResult {
  return typeof cell === 'object' && cell !== null && 'numerator' in cell && 'denominator' in cell;
}

const number = (value: number, lang: Lang, decimals: number): string => value.toLocaleString(lang, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

/** A KPI as read on screen: "40.00 %", "25.0 s", or null for «sin tráfico». */
export function kpiText(k: KpiResult, lang: Lang): string | null {
  if (k.value === null) return null;
  return k.unit === 'percent' ? `${number(k.value, lang, 2)} %` : `${number(k.value / 1000, lang, 1)} s`;
}

/** Wall-clock time of an instant in the campaign's zone, e.g. "12/03/2025 09:40:50". */
export function localTime(iso: string, timeZone: string, lang: Lang): string {
  try {
    return new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/** A plain (non-KPI) cell as text; empty for nothing. */
export function cellText(column: ReportColumn, cell: ReportCellValue | undefined, lang: Lang, timeZone: string): string {
  if (cell === undefined || cell === null || isKpi(cell)) return '';
  if (typeof cell === 'boolean') return cell ? '✓' : '—';
  if (typeof cell === 'number') return column.type === 'integer' ? cell.toLocaleString(lang) : number(cell, lang, column.type === 'percent' ? 2 : cell % 1 === 0 ? 0 : 1);
  if (column.type === 'datetime') return localTime(cell, timeZone, lang);
  return cell;
}

/** The curl line a BI tool runs (shown once, with the new token). */
export function curlExample(origin: string, token: string, campaignId: string, date: string): string {
  return `curl -H "Authorization: Bearer ${token}" "${origin}/api/v1/reports/daily-service-level?campaignId=${campaignId}&date=${date}&format=csv"`;
}
