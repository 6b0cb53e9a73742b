import type { KpiResult } from '../kpi/formulas/kpi-result.js';

/**
 * What every report builder returns (issue 9 item 7): plain tables the JSON route, the CSV and the
 * XLSX writers all render the same way. A `kpi` cell carries the formula library's KpiResult, so
 * the figure travels with its numerator, denominator, formula and arithmetic; the exports spell it
 * out as three columns (value, numerator, denominator) so an auditor can redo the division.
 */
export type ReportColumnType =
  /** Free text (names, folios, reasons). */
  | 'text'
  /** A whole count. */
  | 'integer'
  /** A duration in seconds (may have decimals). */
  | 'seconds'
  /** A plain percentage 0–100 that is not a contract KPI (e.g. share of a reason). */
  | 'percent'
  /** An ISO instant; shown in the campaign's time zone by the writers. */
  | 'datetime'
  /** A KpiResult (or null when the KPI does not apply to the row, e.g. e-mail limit on voice). */
  | 'kpi';

export interface ReportColumn {
  readonly key: string;
  readonly label_es: string;
  readonly label_en: string;
  readonly type: ReportColumnType;
}

export type ReportCell = string | number | boolean | null | KpiResult;
export type ReportRow = Readonly<Record<string, ReportCell>>;

export interface ReportNote {
  readonly label_es: string;
  readonly label_en: string;
  /** Language-neutral text: a formula (as the contract prints it, in Spanish), a threshold, a zone. */
  readonly value: string;
}

export interface ReportTable {
  /** Stable id inside its report (`detail`, `by_reason`…): CSV exports pick a table by it. */
  readonly id: string;
  readonly title_es: string;
  readonly title_en: string;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly ReportRow[];
  readonly notes: readonly ReportNote[];
}

export type ReportLang = 'es' | 'en';

export const col = (key: string, type: ReportColumnType, label_es: string, label_en: string): ReportColumn => ({ key, type, label_es, label_en });

export function isKpiResult(cell: ReportCell): cell is KpiResult {
  return typeof cell === 'object' && cell !== null && 'kpi' in cell && 'numerator' in cell;
}

/** Durations come from the facts in ms; reports show seconds (three decimals keep every ms). */
/** The service-level columns the daily and the interval reports share (received → on time %), in that order. */
export const SERVICE_LEVEL_COLUMNS = [
  col('received_gross', 'integer', 'Recibidas', 'Received'),
  col('short_abandoned', 'integer', 'Abandonos cortos', 'Short abandons'),
  col('received', 'integer', 'Recibidas netas', 'Net received'),
  col('attended', 'integer', 'Atendidas', 'Attended'),
  col('abandoned', 'integer', 'Abandonadas', 'Abandoned'),
  col('within_threshold', 'integer', 'Atendidas dentro del umbral', 'Attended within threshold'),
  col('sl_received', 'kpi', 'Nivel de servicio / recibidas', 'Service level / received'),
  col('sl_attended', 'kpi', 'Nivel de servicio / atendidas', 'Service level / attended'),
  col('asa', 'kpi', 'ASA (s)', 'ASA (s)'),
  col('aht', 'kpi', 'AHT (s)', 'AHT (s)'),
  col('abandonment', 'kpi', 'Abandono %', 'Abandonment %'),
  col('response_within_limit', 'kpi', 'Correo/chat en tiempo %', 'E-mail/chat on time %'),
] as const;

export const msToSeconds = (ms: number): number => Math.round(ms) / 1000;

/** The notes every report carries: thresholds and formulas of the KPI columns, time zone, when. */
export function standardNotes(input: { timeZone: string; generatedAt: Date; formulas?: readonly KpiResult[]; extra?: readonly ReportNote[] }): ReportNote[] {
  const notes: ReportNote[] = [
    { label_es: 'Zona horaria', label_en: 'Time zone', value: input.timeZone },
    { label_es: 'Generado', label_en: 'Generated at', value: input.generatedAt.toISOString() },
    ...(input.extra ?? []),
  ];
  const seen = new Set<string>();
  for (const kpi of input.formulas ?? []) {
    const key = `${kpi.label}|${kpi.formula}`;
    if (seen.has(key)) continue;
    seen.add(key);
    notes.push({ label_es: `Fórmula: ${kpi.label}`, label_en: `Formula: ${kpi.label}`, value: `${kpi.formula} (${kpi.seedRef})` });
  }
  return notes;
}

/** The KPI results found in the rows (for the formula notes). */
export function kpisOf(rows: readonly ReportRow[]): KpiResult[] {
  const out: KpiResult[] = [];
  for (const row of rows) for (const cell of Object.values(row)) if (isKpiResult(cell)) out.push(cell);
  return out;
}

/** A column's label in the chosen language. */
export const labelOf = (c: { label_es: string; label_en: string }, lang: ReportLang): string => (lang === 'en' ? c.label_en : c.label_es);
