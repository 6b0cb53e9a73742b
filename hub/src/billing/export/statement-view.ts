import { formatCents } from '../../kpi/sla/money.js';
import type { BillingUnit, ConsumptionRow, DeductionLine, ExcludedInteraction, PenaltyLine, Statement, StatementLine, UnpricedUsage } from '../billing.contract.js';

/**
 * What the three statement files (CSV, XLSX, PDF) show, built once so they always agree: the
 * header, the totals and one table per section with Spanish headings. Money is formatted
 * `$1,234.56` from integer centavos; seconds keep their milliseconds.
 */

export interface StatementMeta {
  readonly campaignName: string;
  readonly generatedAt: Date;
}

export type Cell = string | number | null;

export interface ViewTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Shown when the table has no rows. */
  readonly empty: string;
}

export const STATEMENT_TITLE = 'Estado de cuenta mensual';

export const money = formatCents;

const UNIT_LABELS: Record<BillingUnit, string> = {
  minute: 'minuto',
  minute_seconds: 'minuto con segundos',
  message: 'mensaje',
  mass_send: 'envío masivo',
  event: 'evento',
  service: 'servicio',
  month: 'mes',
};
export function unitLabel(unit: BillingUnit): string {
  return UNIT_LABELS[unit];
}

export function statusLabel(status: Statement['status']): string {
  return status === 'closed' ? 'CERRADO' : 'ABIERTO';
}

const KIND_LABELS: Record<StatementLine['kind'], string> = { usage: 'Uso del mes', adjustment: 'Ajuste de mes cerrado', fixed: 'Cuota fija' };
const FORECAST_LABELS: Record<ConsumptionRow['forecastStatus'], string> = { below_min: 'Por debajo del mínimo', within: 'Dentro del rango', over_max: 'Excede el máximo' };
const DEDUCTION_SOURCES: Record<DeductionLine['source'], string> = { sla: 'Niveles de servicio', bot_repeated_wrong: 'Agente virtual: desviación repetida' };
const DEDUCTION_STATUS: Record<DeductionLine['status'], string> = { validated: 'Validada', proposed: 'Propuesta (no aplicada)', not_evaluated: 'Sin evaluar (no aplicada)' };
const PENALTY_KINDS: Record<PenaltyLine['kind'], string> = { per_day: 'por día de atraso', per_hour: 'por hora de atraso', fixed: 'importe fijo' };

/** 1234567.5 → "1,234,567.5" (at most `decimals` decimals, no float noise). */
export function formatNumber(value: number, decimals = 3): string {
  const sign = value < 0 ? '-' : '';
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole = '0', fraction = ''] = fixed.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${trimmed ? `.${trimmed}` : ''}`;
}

/** 7530.25 s → "125 min 30.25 s" (exact: computed on whole milliseconds). */
export function minutesAndSeconds(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const minutes = Math.floor(ms / 60_000);
  return `${formatNumber(minutes, 0)} min ${formatNumber((ms - minutes * 60_000) / 1000, 3)} s`;
}

export function headerPairs(statement: Statement, meta: StatementMeta): [string, string][] {
  return [
    ['Campaña', meta.campaignName],
    ['Identificador de campaña', statement.campaignId],
    ['Mes', statement.month],
    ['Estado', statusLabel(statement.status)],
    ['Zona horaria', statement.timeZone],
    ['Tarjeta de tarifas', `versión ${statement.rateCard.version} (${statement.rateCard.id})`],
    ['Moneda', statement.currency],
    ['Huella de insumos (SHA-256)', statement.inputsHash],
    ['Generado', meta.generatedAt.toISOString()],
  ];
}

/** Deductions and penalties are shown as positive amounts that the base subtracts. */
export function totalPairs(statement: Statement): [string, string][] {
  return [
    ['Subtotal', money(statement.subtotalCents)],
    ['Deductivas', money(statement.deductionsCents)],
    ['Penas convencionales', money(statement.penaltiesCents)],
    ['Base', money(statement.taxableCents)],
    [`IVA ${formatNumber(statement.ivaPct, 2)} %`, money(statement.ivaCents)],
    ['Total', money(statement.totalCents)],
  ];
}

export const LINE_COLUMNS = [
  'Tipo',
  'Concepto',
  'Nombre',
  'Unidad',
  'Mes de uso',
  'Cantidad',
  'Segundos exactos',
  'Minutos y segundos',
  'Remanente no facturado (s)',
  'Hechos',
  'Precio unitario',
  'Tarifa',
  'Importe',
  'Traza',
] as const;

export function lineCells(line: StatementLine): Cell[] {
  return [
    line.kind === 'adjustment' ? `${KIND_LABELS.adjustment} ${line.usageMonth}` : KIND_LABELS[line.kind],
    line.conceptCode,
    line.name,
    unitLabel(line.unit),
    line.usageMonth,
    line.quantity,
    line.exactSeconds,
    line.exactSeconds === null ? null : minutesAndSeconds(line.exactSeconds),
    line.remainderSeconds,
    line.factCount,
    money(line.unitPriceCents),
    `${formatNumber(line.tariffPct, 2)} %`,
    money(line.amountCents),
    line.trace,
  ];
}

function deductionCells(d: DeductionLine): Cell[] {
  return [DEDUCTION_SOURCES[d.source], d.description, d.evaluationId, DEDUCTION_STATUS[d.status], d.conceptCode, money(d.proposedCents), money(d.appliedCents), d.trace];
}

function penaltyCells(p: PenaltyLine): Cell[] {
  return [p.description, PENALTY_KINDS[p.kind], p.units, money(p.amountPerUnitCents), money(p.proposedCents), money(p.appliedCents), p.trace];
}

function consumptionCells(c: ConsumptionRow): Cell[] {
  const burned = c.maxQuantity > 0 ? `${formatNumber((c.consumedToDate / c.maxQuantity) * 100, 2)} %` : null;
  const monthly = c.monthly.map((m) => `${m.month}: ${formatNumber(m.quantity)}`).join('; ');
  return [c.conceptCode, c.name, c.minQuantity, c.maxQuantity, c.consumedToDate, burned, c.remainingToMax, c.forecastAtTermEnd, FORECAST_LABELS[c.forecastStatus], monthly];
}

function excludedCells(e: ExcludedInteraction): Cell[] {
  return [e.folio, e.conversationId, e.callSid, e.problem, e.meters.join(', '), e.seconds, e.items];
}

function unpricedCells(u: UnpricedUsage): Cell[] {
  return [u.meter, u.description, u.usageMonth, u.exactSeconds, u.items, u.factCount];
}

/** The sections after the concept lines, in the order every file shows them. */
export function sectionTables(statement: Statement): ViewTable[] {
  return [
    {
      title: 'Deductivas',
      columns: ['Origen', 'Descripción', 'Evaluación', 'Estado', 'Concepto', 'Propuesto', 'Aplicado', 'Traza'],
      rows: statement.deductions.map(deductionCells),
      empty: 'Sin deductivas en el mes.',
    },
    {
      title: 'Penas convencionales',
      columns: ['Descripción', 'Tipo', 'Unidades', 'Importe por unidad', 'Propuesto', 'Aplicado', 'Traza'],
      rows: statement.penalties.map(penaltyCells),
      empty: 'Sin penas convencionales en el mes.',
    },
    {
      title: 'Consumo contra mínimo y máximo con pronóstico',
      columns: ['Concepto', 'Nombre', 'Mínimo', 'Máximo', 'Consumido a la fecha', 'Avance sobre el máximo', 'Restante al máximo', 'Pronóstico al fin del plazo', 'Estado del pronóstico', 'Consumo por mes'],
      rows: statement.consumption.map(consumptionCells),
      empty: 'Sin conceptos con cantidades de contrato.',
    },
    {
      title: 'Interacciones excluidas por falta de evidencia',
      columns: ['Folio', 'Conversación', 'Llamada', 'Problema', 'Medidores', 'Segundos', 'Elementos'],
      rows: statement.excluded.map(excludedCells),
      empty: 'Ninguna interacción excluida.',
    },
    {
      title: 'Uso sin concepto (no facturado)',
      columns: ['Medidor', 'Descripción', 'Mes de uso', 'Segundos exactos', 'Elementos', 'Hechos'],
      rows: statement.unpriced.map(unpricedCells),
      empty: 'Todo el uso medido tiene concepto en la tarjeta.',
    },
  ];
}

/** «estado-de-cuenta-<campaign>-<month>.<ext>»: the campaign's name as a file-name slug. */
export function statementFilename(campaignSlug: string, month: string, ext: 'csv' | 'xlsx' | 'pdf'): string {
  const slug = campaignSlug
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `estado-de-cuenta-${slug || 'campana'}-${month}.${ext}`;
}
