import { monthsFromTo } from '../../../../hub/src/sla/sla-months.js';
import type { ConsumptionRow } from './billing-api.js';

/**
 * Geometry of a concept's burn-down (pure; tested in burn-down.test.ts): what remains of the
 * contract maximum after each month, then the linear forecast to the end of the term. The
 * minimum is a level: remaining ≤ max − min means the minimum is met.
 */

export interface Box {
  readonly width: number;
  readonly height: number;
  readonly pad: number;
}

export interface BurnDown {
  /** "x,y x,y …": the maximum at the start of the first month, then the remainder after each month. */
  readonly actual: string;
  /** From the last month to the end of the term (empty when the term ends this month). */
  readonly forecast: string;
  /** y of the remainder that means the minimum was consumed (max − min). */
  readonly minY: number;
  /** y of zero remaining (the maximum consumed). */
  readonly zeroY: number;
  /** Months on the x axis, first to term end. */
  readonly months: readonly string[];
}

const round = (n: number): number => Math.round(n * 100) / 100;

export function burnDown(row: Pick<ConsumptionRow, 'maxQuantity' | 'minQuantity' | 'monthly' | 'forecastAtTermEnd'>, termEndMonth: string | null, box: Box): BurnDown | null {
  const first = row.monthly[0]?.month;
  const last = row.monthly[row.monthly.length - 1]?.month;
  if (!first || !last) return null;
  const months = monthsFromTo(first, termEndMonth && termEndMonth > last ? termEndMonth : last);
  const remaining: number[] = [row.maxQuantity];
  for (const m of row.monthly) remaining.push((remaining[remaining.length - 1] ?? 0) - m.quantity);
  const now = remaining[remaining.length - 1] ?? 0;
  const atEnd = row.maxQuantity - row.forecastAtTermEnd;
  // Over the maximum the remainder goes negative: the scale stretches below zero to show it.
  const top = Math.max(row.maxQuantity, 1);
  const bottom = Math.min(0, now, atEnd);
  const x = (i: number) => round(box.pad + (i / months.length) * (box.width - 2 * box.pad));
  const y = (v: number) => round(box.pad + ((top - v) / (top - bottom)) * (box.height - 2 * box.pad));
  const points = (list: [number, number][]) => list.map(([i, v]) => `${x(i)},${y(v)}`).join(' ');
  const done = row.monthly.length;
  return {
    actual: points(remaining.map((v, i) => [i, v])),
    forecast: done < months.length ? points([
      [done, now],
      [months.length, atEnd],
    ]) : '',
    minY: y(row.maxQuantity - row.minQuantity),
    zeroY: y(0),
    months,
  };
}
