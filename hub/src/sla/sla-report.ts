import { KPI_LABELS } from '../kpi/formulas/kpi-result.js';
import type { SlaRowStatus } from '../kpi/sla/evaluate-sla-row.js';
import { formatCents } from '../kpi/sla/money.js';
import type { EvaluationView } from './sla-evaluation.queries.js';

/**
 * The monthly SLA report (issue 9 item 7): one model, rendered as JSON, CSV, XLSX and PDF, so the
 * four formats cannot disagree. Spanish, as the contract and the validating admin read it.
 */

export const STATUS_LABELS: Record<SlaRowStatus, string> = {
  cumplido: 'Cumplido',
  incumplido: 'Incumplido',
  sin_trafico: 'Sin tráfico',
  sin_medicion: 'Sin medición',
  no_aplica: 'No aplica',
};
const UNIT = { percent: '%', minutes: 'min', seconds: 's' } as const;

export interface SlaReportRow {
  readonly rowId: string;
  readonly name: string;
  readonly kpi: string;
  readonly target: string;
  readonly measured: string;
  readonly status: string;
  readonly pointsOut: number;
  readonly units: number;
  readonly proposedCents: number;
  readonly conceptCapCents: number | null;
  /** After the global cap: the proposal. */
  readonly finalCents: number;
  /** After the admin's decision. */
  readonly decidedCents: number;
  readonly decision: string;
  readonly reason: string;
  readonly trace: readonly string[];
}

export interface SlaReport {
  readonly title: string;
  readonly evaluationId: string;
  readonly campaignId: string;
  readonly campaignName: string;
  readonly month: string;
  readonly tableVersion: number;
  readonly contractMonth: number | null;
  readonly status: string;
  readonly validatedBy: string | null;
  readonly validatedAt: string | null;
  readonly computedAt: string;
  readonly invoiceCents: number;
  readonly globalCap: { readonly capCents: number; readonly alreadyDeductedCents: number; readonly remainingCents: number; readonly binding: boolean };
  readonly totals: { readonly proposedCents: number; readonly afterConceptCapsCents: number; readonly finalCents: number; readonly decidedCents: number };
  readonly rows: readonly SlaReportRow[];
  readonly trace: readonly string[];
}

function number(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4).replace(/0+$/, '');
}

export function buildSlaReport(view: EvaluationView): SlaReport {
  const evaluation = view.snapshot.evaluation;
  const rows = view.rows.map((r): SlaReportRow => {
    const unit = UNIT[r.targetUnit];
    return {
      rowId: r.rowId,
      name: r.name,
      kpi: KPI_LABELS[r.kpi],
      target: `${r.direction === 'gte' ? '≥' : '≤'} ${number(r.target)} ${unit}`,
      measured: r.measured === null ? '—' : `${number(r.measured)} ${unit}`,
      status: STATUS_LABELS[r.status],
      pointsOut: r.pointsOut,
      units: r.units,
      proposedCents: r.proposedCents,
      conceptCapCents: r.conceptCapCents,
      finalCents: r.finalCents,
      decidedCents: r.decidedCents,
      decision: r.decision === null ? 'Pendiente' : r.decision.decision === 'adjusted' ? 'Ajustada' : 'Aceptada',
      reason: r.decision?.reason ?? '',
      trace: r.trace,
    };
  });
  return {
    title: 'Reporte mensual de niveles de servicio y deductivas',
    evaluationId: view.id,
    campaignId: view.campaignId,
    campaignName: view.campaignName,
    month: view.month,
    tableVersion: view.tableVersion,
    contractMonth: view.contractMonth,
    status: view.status === 'validated' ? 'Validada' : 'Propuesta (pendiente de validación)',
    validatedBy: view.validatedByName,
    validatedAt: view.validatedAt,
    computedAt: view.computedAt,
    invoiceCents: view.invoiceCents,
    globalCap: evaluation.globalCap,
    totals: { ...evaluation.totals, decidedCents: rows.reduce((sum, r) => sum + r.decidedCents, 0) },
    rows,
    trace: evaluation.trace,
  };
}

/** "$1,234.56" — one money format for every rendering. */
export const money = formatCents;

/** Header lines shared by the CSV, XLSX and PDF renderings. */
export function reportHeader(report: SlaReport): [string, string][] {
  return [
    ['Campaña', report.campaignName],
    ['Mes', report.month],
    ['Mes del contrato', report.contractMonth === null ? '—' : String(report.contractMonth)],
    ['Versión de la tabla', report.tableVersion === 0 ? '0 (tabla general T&C §14)' : String(report.tableVersion)],
    ['Estado', report.status],
    ['Validó', report.validatedBy === null ? '—' : `${report.validatedBy} (${report.validatedAt ?? ''})`],
    ['Factura del mes', money(report.invoiceCents)],
    ['Tope global', money(report.globalCap.capCents)],
    ['Deducido en meses anteriores', money(report.globalCap.alreadyDeductedCents)],
    ['Disponible del tope global', money(report.globalCap.remainingCents)],
    ['Total propuesto', money(report.totals.proposedCents)],
    ['Total después de topes por concepto', money(report.totals.afterConceptCapsCents)],
    ['Total después del tope global', money(report.totals.finalCents)],
    ['Total validado / ajustado', money(report.totals.decidedCents)],
  ];
}

export const ROW_COLUMNS = ['Fila', 'Indicador', 'Meta', 'Medido', 'Estado', 'Puntos fuera', 'Unidades', 'Importe propuesto', 'Tope del concepto', 'Después del tope global', 'Importe final', 'Decisión', 'Motivo', 'Traza'] as const;

export function rowCells(row: SlaReportRow): (string | number)[] {
  return [
    row.name,
    row.kpi,
    row.target,
    row.measured,
    row.status,
    row.pointsOut,
    row.units,
    money(row.proposedCents),
    row.conceptCapCents === null ? '—' : money(row.conceptCapCents),
    money(row.finalCents),
    money(row.decidedCents),
    row.decision,
    row.reason,
    row.trace.join(' | '),
  ];
}
