import { type KpiResult, NO_TRAFFIC_LABEL } from '../formulas/kpi-result.js';
import { fixedPerUnitCents, formatCents, percentOfCentsFloor, percentOfInvoiceCents } from './money.js';
import { type SlaRow, targetUnitOf } from './sla-table.schema.js';

export type SlaRowStatus = 'cumplido' | 'incumplido' | 'sin_trafico' | 'sin_medicion' | 'no_aplica';

export interface SlaRowEvaluation {
  readonly rowId: string;
  readonly name: string;
  readonly kpi: SlaRow['kpi'];
  readonly direction: SlaRow['direction'];
  readonly target: number;
  readonly targetUnit: 'percent' | 'minutes' | 'seconds';
  readonly status: SlaRowStatus;
  /** In targetUnit, after `measuredDecimals` rounding; null without traffic or measurement. */
  readonly measured: number | null;
  readonly measurement: KpiResult | null;
  /** max(0, T − M) for ≥ rows, max(0, M − T) for ≤ rows (digest §6.1). */
  readonly pointsOut: number;
  /** pointsOut / unitSize after the row's rounding mode. */
  readonly units: number;
  readonly proposedCents: number;
  readonly conceptCapCents: number | null;
  readonly afterConceptCapCents: number;
  /** Spanish, one step per line, with the numbers: what an admin validates. */
  readonly trace: readonly string[];
}

/** Float noise (80 − 79.99999999997) must not turn into a whole extra unit under ceil. */
const snap = (value: number): number => Math.round(value * 1e9) / 1e9;

function cutDecimals(value: number, decimals: number, mode: SlaRow['measuredRounding']): number {
  const scale = 10 ** decimals;
  const scaled = snap(value * scale);
  return (mode === 'truncate' ? Math.trunc(scaled) : Math.round(scaled)) / scale;
}

const UNIT_LABEL = { percent: '%', minutes: 'min', seconds: 's' } as const;
const ROUNDING_LABEL = { exact: 'exacto', full_units: 'solo unidades completas', fraction_up: 'fracción redondeada hacia arriba' } as const;

function measuredInTargetUnit(result: KpiResult, unit: 'percent' | 'minutes' | 'seconds'): number | null {
  if (result.value === null) return null;
  if (unit === 'minutes') return result.value / 60_000;
  if (unit === 'seconds') return result.value / 1000;
  return result.value;
}

function inContractMonths(row: SlaRow, contractMonth: number | undefined): boolean {
  if (!row.contractMonths || contractMonth === undefined) return true;
  return contractMonth >= row.contractMonths.from && (row.contractMonths.to === undefined || contractMonth <= row.contractMonths.to);
}

export interface SlaRowContext {
  readonly invoiceCents: number;
  readonly contractMonth?: number;
}

/** One row of the table against its measurement: status, points out, units, amount, concept cap. */
export function evaluateSlaRow(row: SlaRow, measurement: KpiResult | null | undefined, context: SlaRowContext): SlaRowEvaluation {
  const targetUnit = targetUnitOf(row.kpi);
  const unit = UNIT_LABEL[targetUnit];
  const base = { rowId: row.id, name: row.name, kpi: row.kpi, direction: row.direction, target: row.target, targetUnit };
  const idle = (status: SlaRowStatus, measured: number | null, trace: string[]): SlaRowEvaluation => ({
    ...base,
    status,
    measured,
    measurement: measurement ?? null,
    pointsOut: 0,
    units: 0,
    proposedCents: 0,
    conceptCapCents: null,
    afterConceptCapCents: 0,
    trace,
  });

  if (!inContractMonths(row, context.contractMonth)) {
    const to = row.contractMonths?.to === undefined ? 'en adelante' : `a ${row.contractMonths.to}`;
    return idle('no_aplica', null, [`No aplica en el mes ${context.contractMonth} del contrato (aplica del mes ${row.contractMonths?.from} ${to}).`]);
  }
  if (!measurement) return idle('sin_medicion', null, ['Sin medición para este indicador: no se propone deductiva; el administrador debe validarlo.']);
  if (measurement.kpi !== row.kpi) throw new Error(`SLA row "${row.id}" measures ${row.kpi} but got a ${measurement.kpi} result`);

  const raw = measuredInTargetUnit(measurement, targetUnit);
  const measuredLine = `Medido: ${measurement.explanation} [${measurement.formula}; ${measurement.seedRef}]`;
  if (raw === null) return idle('sin_trafico', null, [measuredLine, `Periodo ${NO_TRAFFIC_LABEL}: no se propone deductiva.`]);

  const measured = row.measuredDecimals === undefined ? raw : cutDecimals(raw, row.measuredDecimals, row.measuredRounding);
  const trace = [measuredLine];
  if (row.measuredDecimals !== undefined) {
    const how = row.measuredRounding === 'truncate' ? 'truncado' : 'redondeado';
    trace.push(`Valor medido ${how} a ${row.measuredDecimals} decimales: ${measured} ${unit}`);
  }
  const pointsOut = Math.max(0, snap(row.direction === 'gte' ? row.target - measured : measured - row.target));
  const symbol = row.direction === 'gte' ? '≥' : '≤';
  if (pointsOut === 0) {
    trace.push(`Meta ${symbol} ${row.target} ${unit}: cumplido.`);
    return { ...idle('cumplido', measured, trace) };
  }
  const difference = row.direction === 'gte' ? `${row.target} − ${measured}` : `${measured} − ${row.target}`;
  trace.push(`Meta ${symbol} ${row.target} ${unit}: incumplido. Fuera del nivel: ${difference} = ${pointsOut} ${unit}`);

  const rawUnits = snap(pointsOut / row.unitSize);
  const units = row.rounding === 'exact' ? rawUnits : row.rounding === 'full_units' ? Math.floor(rawUnits) : Math.ceil(rawUnits);
  trace.push(`Unidades de deductiva: ${pointsOut} / ${row.unitSize} = ${rawUnits} → ${units} (${ROUNDING_LABEL[row.rounding]})`);

  const deduction = row.deduction;
  const proposedCents =
    deduction.kind === 'percent_of_invoice'
      ? percentOfInvoiceCents(units, deduction.factor, deduction.weightPercent, context.invoiceCents)
      : fixedPerUnitCents(units, deduction.amountCents);
  trace.push(
    deduction.kind === 'percent_of_invoice'
      ? `Importe: ${units} × ${deduction.factor} × ${deduction.weightPercent} % × ${formatCents(context.invoiceCents)} = ${formatCents(proposedCents)}`
      : `Importe: ${units} × ${formatCents(deduction.amountCents)} = ${formatCents(proposedCents)}`,
  );

  const caps = [
    ...(row.capPercentOfInvoice === undefined ? [] : [percentOfCentsFloor(context.invoiceCents, row.capPercentOfInvoice)]),
    ...(row.capCents === undefined ? [] : [row.capCents]),
  ];
  const conceptCapCents = caps.length === 0 ? null : Math.min(...caps);
  const afterConceptCapCents = conceptCapCents === null ? proposedCents : Math.min(proposedCents, conceptCapCents);
  if (conceptCapCents !== null) {
    trace.push(
      proposedCents > conceptCapCents
        ? `Tope del concepto ${formatCents(conceptCapCents)} aplicado: ${formatCents(afterConceptCapCents)}`
        : `Tope del concepto ${formatCents(conceptCapCents)} no alcanzado.`,
    );
  }
  return { ...base, status: 'incumplido', measured, measurement, pointsOut, units, proposedCents, conceptCapCents, afterConceptCapCents, trace };
}
