import type { KpiResult } from '../kpi/formulas/kpi-result.js';
import { isKpiResult, labelOf, type ReportLang, type ReportRow, type ReportTable } from './report-table.js';

/**
 * A report table as flat columns, for the CSV and XLSX writers: a KPI column becomes value,
 * numerator and denominator (durations in seconds, so value = numerator / denominator holds in
 * the file and an auditor can recompute it). Both writers share this, so they always agree.
 */
export type FlatValue = string | number | null;

export interface FlatColumn {
  readonly header: string;
  readonly kind: 'text' | 'number' | 'datetime';
  /** Excel number format of a number or date column. */
  readonly numFmt?: string;
  readonly value: (row: ReportRow) => FlatValue;
}

const WORDS = {
  es: { numerator: 'numerador', denominator: 'denominador', value: 'valor' },
  en: { numerator: 'numerator', denominator: 'denominator', value: 'value' },
} as const;

const round = (value: number, decimals: number): number => Number(value.toFixed(decimals));

/** The KPI's value in the exported unit (percent, or seconds for durations), rounded for display. */
export function kpiExportValue(k: KpiResult): number | null {
  if (k.value === null) return null;
  return k.unit === 'ms' ? round(k.value / 1000, 3) : round(k.value, 2);
}
export const kpiExportNumerator = (k: KpiResult): number => (k.unit === 'ms' ? k.numerator / 1000 : k.numerator);

function kpiCell(row: ReportRow, key: string): KpiResult | null {
  const cell = row[key];
  return cell !== undefined && isKpiResult(cell) ? cell : null;
}

function plain(row: ReportRow, key: string): FlatValue {
  const cell = row[key];
  if (cell === undefined || cell === null) return null;
  if (typeof cell === 'boolean') return cell ? 'sí' : 'no';
  if (typeof cell === 'object') return null;
  return cell;
}

export function flattenColumns(table: ReportTable, lang: ReportLang): FlatColumn[] {
  const w = WORDS[lang];
  const out: FlatColumn[] = [];
  for (const c of table.columns) {
    const label = labelOf(c, lang);
    switch (c.type) {
      case 'kpi': {
        // The unit is the same on every row of a column; the first KPI found tells it.
        const sample = table.rows.map((r) => kpiCell(r, c.key)).find((k) => k !== null);
        const seconds = sample?.unit === 'ms';
        out.push(
          { header: `${label} (${w.value})`, kind: 'number', numFmt: seconds ? '0.000' : '0.00', value: (r) => { const k = kpiCell(r, c.key); return k ? kpiExportValue(k) : null; } },
          { header: `${label} — ${w.numerator}`, kind: 'number', numFmt: seconds ? '0.000' : '0', value: (r) => { const k = kpiCell(r, c.key); return k ? kpiExportNumerator(k) : null; } },
          { header: `${label} — ${w.denominator}`, kind: 'number', numFmt: '0', value: (r) => kpiCell(r, c.key)?.denominator ?? null },
        );
        break;
      }
      case 'integer':
        out.push({ header: label, kind: 'number', numFmt: '0', value: (r) => plain(r, c.key) });
        break;
      case 'seconds':
        out.push({ header: label, kind: 'number', numFmt: '0.000', value: (r) => plain(r, c.key) });
        break;
      case 'percent':
        out.push({ header: label, kind: 'number', numFmt: '0.00', value: (r) => plain(r, c.key) });
        break;
      case 'datetime':
        out.push({ header: label, kind: 'datetime', numFmt: 'yyyy-mm-dd hh:mm:ss', value: (r) => plain(r, c.key) });
        break;
      case 'text':
        out.push({ header: label, kind: 'text', value: (r) => plain(r, c.key) });
        break;
    }
  }
  return out;
}

/** Wall-clock parts of an instant in a zone: `2026-11-25 08:30:00` and its offset `-06:00`. */
export function localDateTime(iso: string, timeZone: string): { text: string; offset: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  const offset = (parts['timeZoneName'] ?? 'GMT').replace('GMT', '') || '+00:00';
  return { text: `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`, offset };
}
