import { roundHalfUp } from '../../kpi/formulas/kpi-result.js';

/**
 * Money and number helpers of the statement (pure). Cents are integers; the only rounding to
 * cents is half up (exact halves away from zero), reusing the KPI formulas' `roundHalfUp` so a
 * binary half such as 1904.4999999999998 still counts as the half it stands for.
 */

/** Integer centavos, exact halves up (2.5 → 3, 1904.5 → 1905). */
export function roundHalfUpCents(value: number): number {
  const rounded = Number(roundHalfUp(value, 0));
  return rounded === 0 ? 0 : rounded;
}

/**
 * Caps are limits: floored to whole cents so an applied amount never exceeds the exact cap
 * (10 % of $3,189,618.41 = $318,961.841 → $318,961.84). The tolerance absorbs binary noise only.
 */
export function floorCents(value: number): number {
  return Math.floor(value + 1e-9);
}

const GROUPED = new Intl.NumberFormat('es-MX', { maximumFractionDigits: 0, useGrouping: true });

/** «$1,234.56» (es-MX: comma groups, point decimals); negative amounts with a leading minus. */
export function pesos(cents: number): string {
  const sign = cents < 0 ? '−' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}$${GROUPED.format(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}

const NUMBER_FORMATS = new Map<number, Intl.NumberFormat>();

/** A quantity in es-MX with up to `decimals` decimals, trailing zeros dropped («1,234.5»). */
export function num(value: number, decimals = 3): string {
  let format = NUMBER_FORMATS.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat('es-MX', { maximumFractionDigits: decimals, useGrouping: true });
    NUMBER_FORMATS.set(decimals, format);
  }
  return format.format(value);
}

/** «4 min 20 s» of a span in ms (seconds with their milliseconds). */
export function minutesAndSeconds(durationMs: number): string {
  const minutes = Math.floor(durationMs / 60_000);
  return `${num(minutes, 0)} min ${num((durationMs - minutes * 60_000) / 1000)} s`;
}

/** «1 hecho», «3 hechos». */
export function count(value: number, singular: string, pluralForm: string): string {
  return `${num(value, 0)} ${value === 1 ? singular : pluralForm}`;
}
