import { formatCents as hubFormatCents } from '../../../../hub/src/kpi/sla/money.js';
import type { BillingUnit, StatementLine } from './billing-api.js';

/** Pure helpers of the billing section (tested in billing-format.test.ts). */

const thousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Integer centavos → "$1,234.56", a credit "-$12.00": the hub's own formatter, so screen and exports agree. */
export const formatCents = hubFormatCents;

/**
 * Seconds (with milliseconds) → "mm:ss" with the minutes unbounded ("72:05"), the milliseconds
 * only when there are some ("72:05.250"): the contract floors the month's sum, never each call.
 */
export function formatMmSs(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const whole = Math.floor(ms / 1000);
  const rest = ms % 1000;
  const text = `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
  return rest === 0 ? text : `${text}.${String(rest).padStart(3, '0')}`;
}

/** Counts weighted by outcome may be fractional (30 % of an event): up to 2 decimals, with thousands. */
export function formatCount(quantity: number): string {
  const [int = '0', dec] = (Math.round(quantity * 100) / 100).toFixed(2).split('.');
  const trimmed = (dec ?? '').replace(/0+$/, '');
  return trimmed ? `${thousands(int)}.${trimmed}` : thousands(int);
}

/** The billed quantity as the line's unit reads: whole minutes, mm:ss, or a count. */
export function formatQuantity(line: Pick<StatementLine, 'unit' | 'quantity' | 'exactSeconds'>): string {
  if (line.unit === 'minute') return `${formatCount(line.quantity)} min`;
  if (line.unit === 'minute_seconds') return formatMmSs(line.exactSeconds ?? line.quantity * 60);
  return formatCount(line.quantity);
}

export interface TimeDetail {
  /** The exact summed time, mm:ss. */
  readonly exact: string;
  /** The remainder not billed (minute only), mm:ss; null for minute_seconds. */
  readonly remainder: string | null;
}

/** Time lines: the exact sum and the remainder the contract does not bill (seed-digest §5.3). */
export function timeDetail(line: Pick<StatementLine, 'unit' | 'exactSeconds' | 'remainderSeconds'>): TimeDetail | null {
  if ((line.unit !== 'minute' && line.unit !== 'minute_seconds') || line.exactSeconds === null) return null;
  return { exact: formatMmSs(line.exactSeconds), remainder: line.unit === 'minute' ? formatMmSs(line.remainderSeconds ?? 0) : null };
}

export const isTimeUnit = (unit: BillingUnit): boolean => unit === 'minute' || unit === 'minute_seconds';

/** A fact's span as the auditor reads it: seconds for time, "×1 (30 %)" for weighted counts. */
export function formatFactAmount(fact: { seconds: number; weightPct: number }, unit: BillingUnit): string {
  if (isTimeUnit(unit)) return formatMmSs(fact.seconds);
  return fact.weightPct === 100 ? '1' : `1 × ${fact.weightPct} %`;
}

/** "2026-10" → "octubre de 2026" / "October 2026" in the console's language. */
export function monthLabel(month: string, lang: 'es-MX' | 'en'): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 15)));
}

/** An instant on the campaign's wall clock (its time zone, not the browser's): "05/10/2026, 10:01:00". */
export function formatLocalTime(iso: string, timeZone: string, lang: 'es-MX' | 'en'): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(at);
}
