/**
 * The shape every KPI formula returns: the value *and* the numbers that produced it, so a
 * report, an SLA evaluation or an auditor can redo the arithmetic (issue 9: "exactly right and
 * explainable"). No traffic yields `value: null` with status `sin_trafico`, never NaN.
 */

export type KpiId =
  | 'asa'
  | 'aht'
  | 'abandonment'
  | 'service_level'
  | 'occupancy_phone'
  | 'occupancy_chat'
  | 'response_within_limit'
  | 'survey_transfer'
  | 'satisfaction'
  | 'availability'
  | 'fcr'
  | 'quality';

/** `percent` is 0–100; `ms` is an average duration in milliseconds. */
export type KpiUnit = 'percent' | 'ms';

/** User-facing names (Spanish, the contract's vocabulary). */
export const KPI_LABELS = {
  asa: 'Velocidad promedio de respuesta (ASA)',
  aht: 'Tiempo promedio de atención (AHT)',
  abandonment: 'Porcentaje de abandono',
  service_level: 'Nivel de servicio (atendidas dentro del umbral)',
  occupancy_phone: 'Ocupación / tiempo productivo telefonía',
  occupancy_chat: 'Ocupación / tiempo productivo chat',
  response_within_limit: 'Tiempo de respuesta de chats y correos electrónicos',
  survey_transfer: 'Transferencia a encuesta de calidad',
  satisfaction: 'Satisfacción del usuario',
  availability: 'Disponibilidad del servicio',
  fcr: 'Resolución en el primer contacto (FCR)',
  quality: 'Calidad de operación',
} as const satisfies Record<KpiId, string>;

export const NO_TRAFFIC_LABEL = 'sin tráfico';

export interface KpiResult {
  readonly kpi: KpiId;
  readonly label: string;
  readonly unit: KpiUnit;
  /** null when the denominator is 0 (no traffic / no time recorded). */
  readonly value: number | null;
  readonly status: 'ok' | 'sin_trafico';
  readonly numerator: number;
  readonly denominator: number;
  /** Contract formula in Spanish, e.g. "(recibidas − atendidas) / recibidas × 100". */
  readonly formula: string;
  /** Seed line(s) the formula implements, e.g. "S003 L7882; T&C L10211". */
  readonly seedRef: string;
  /** The named inputs behind numerator and denominator, for the trace. */
  readonly inputs: Readonly<Record<string, number>>;
  /** The arithmetic with the actual numbers, e.g. "(120 − 114) / 120 × 100 = 5.00 %". */
  readonly explanation: string;
}

export interface RatioSpec {
  readonly kpi: KpiId;
  readonly unit: KpiUnit;
  readonly numerator: number;
  readonly denominator: number;
  /** 100 for percentages, 1 for averages. */
  readonly scale: number;
  readonly formula: string;
  readonly seedRef: string;
  readonly inputs: Readonly<Record<string, number>>;
  /** How the numerator and denominator were built, with numbers, e.g. "(120 − 114) / 120". */
  readonly arithmetic: string;
}

/** Builds a KpiResult; a zero denominator means "sin tráfico" (value null), never a division. */
export function ratioResult(spec: RatioSpec): KpiResult {
  const empty = spec.denominator === 0;
  const value = empty ? null : (spec.numerator / spec.denominator) * spec.scale;
  const suffix = spec.scale === 100 ? ' × 100' : '';
  const shown = value === null ? NO_TRAFFIC_LABEL : formatValue(value, spec.unit);
  return {
    kpi: spec.kpi,
    label: KPI_LABELS[spec.kpi],
    unit: spec.unit,
    value,
    status: empty ? 'sin_trafico' : 'ok',
    numerator: spec.numerator,
    denominator: spec.denominator,
    formula: spec.formula,
    seedRef: spec.seedRef,
    inputs: spec.inputs,
    explanation: `${spec.arithmetic}${suffix} = ${shown}`,
  };
}

export function formatValue(value: number, unit: KpiUnit): string {
  return unit === 'percent' ? `${roundHalfUp(value, 2)} %` : `${roundHalfUp(value, 0)} ms (${roundHalfUp(value / 1000, 1)} s)`;
}

/**
 * `value` with `decimals` decimals, exact halves away from zero (1.855 → "1.86", −1.855 → "-1.86"),
 * as contract figures are printed. `toFixed` rounds the binary value (1.855 is 1.85499…, so
 * "1.85"). Here the value is scaled to an integer count of the last decimal, and a fraction within
 * a relative 1e-12 of one half (12 significant digits) counts as the half: binary noise such as
 * 185.49999999999997 (1.855 × 100) or 362.49999999999994 (29 / 800 × 100 × 100) is far below that.
 */
export function roundHalfUp(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return String(value);
  const scaled = Math.abs(value) * 10 ** decimals;
  // Beyond 2^53 there is no fraction left to round.
  if (scaled >= Number.MAX_SAFE_INTEGER) return value.toFixed(decimals);
  const floor = Math.floor(scaled);
  const fraction = scaled - floor;
  const tie = Math.abs(fraction - 0.5) <= 1e-12 * Math.max(1, scaled);
  const units = tie || fraction > 0.5 ? floor + 1 : floor;
  const text = String(units).padStart(decimals + 1, '0');
  const body = decimals === 0 ? text : `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
  return value < 0 && units !== 0 ? `-${body}` : body;
}

/** Formula inputs are counts and durations: reject negatives and non-finite numbers loudly. */
export function assertNonNegative(inputs: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(inputs)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`KPI input "${name}" must be a finite number ≥ 0, got ${value}`);
    }
  }
}

/** Counts must also be integers. */
export function assertCounts(inputs: Readonly<Record<string, number>>): void {
  assertNonNegative(inputs);
  for (const [name, value] of Object.entries(inputs)) {
    if (!Number.isInteger(value)) throw new RangeError(`KPI count "${name}" must be an integer, got ${value}`);
  }
}
