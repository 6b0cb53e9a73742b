import type { ConsumptionRow, StatementLine } from '../billing.contract.js';
import { contractMonthOf, monthsFromTo } from '../../sla/sla-months.js';
import type { StatementInput } from './statement-input.js';

/**
 * Consumption against the contract (issue 10 item 7): per concept in card order, the billed
 * quantity of every month from the contract start to this one (history for earlier months, this
 * statement's usage, fixed and adjustment lines for this month; a month without any is 0),
 * consumed to date, what is left to the maximum (negative once it is exceeded) and a linear
 * forecast to the term's last month: consumed / months elapsed × months in the term.
 */

/** Floating sums of minute-with-seconds quantities (seconds / 60) are kept to 1e-6 units. */
function tidy(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function computeConsumption(input: StatementInput, lines: readonly StatementLine[]): ConsumptionRow[] {
  const card = input.rateCard.card;
  const months = monthsFromTo(input.contractStartMonth, input.month);
  for (const entry of input.history) if (entry.month < input.month && !months.includes(entry.month)) months.push(entry.month);
  months.sort();
  const monthsElapsed = Math.max(1, contractMonthOf(input.contractStartMonth, input.month));
  const monthsInTerm = Math.max(monthsElapsed, contractMonthOf(input.contractStartMonth, card.termEndMonth));

  // Earlier months only, in a canonical order so float sums do not depend on the input order.
  const history = input.history
    .filter((entry) => entry.month < input.month)
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0) || (a.conceptCode < b.conceptCode ? -1 : a.conceptCode > b.conceptCode ? 1 : 0) || a.quantity - b.quantity);

  return card.concepts.map((concept) => {
    const byMonth = new Map<string, number>(months.map((month) => [month, 0]));
    for (const entry of history) {
      if (entry.conceptCode !== concept.code) continue;
      byMonth.set(entry.month, (byMonth.get(entry.month) ?? 0) + entry.quantity);
    }
    const thisMonth = lines.filter((line) => line.conceptCode === concept.code).reduce((sum, line) => sum + line.quantity, 0);
    byMonth.set(input.month, (byMonth.get(input.month) ?? 0) + thisMonth);
    const monthly = months.map((month) => ({ month, quantity: tidy(byMonth.get(month) ?? 0) }));
    const consumedToDate = tidy(monthly.reduce((sum, entry) => sum + entry.quantity, 0));
    const forecastAtTermEnd = tidy((consumedToDate / monthsElapsed) * monthsInTerm);
    const forecastStatus = forecastAtTermEnd < concept.minQuantity ? 'below_min' : forecastAtTermEnd > concept.maxQuantity ? 'over_max' : 'within';
    return {
      conceptCode: concept.code,
      name: concept.name,
      minQuantity: concept.minQuantity,
      maxQuantity: concept.maxQuantity,
      monthly,
      consumedToDate,
      remainingToMax: tidy(concept.maxQuantity - consumedToDate),
      forecastAtTermEnd,
      forecastStatus,
    };
  });
}
