import type { BillingUnit } from '../billing.contract.js';
import { minutesAndSeconds, num, pesos, roundHalfUpCents } from './statement-math.js';

/** Quantity, amount and the Spanish arithmetic of one line, before its kind/band wording. */
export interface LineAmount {
  readonly quantity: number;
  readonly exactSeconds: number | null;
  readonly remainderSeconds: number | null;
  readonly amountCents: number;
  readonly arithmetic: string;
}

function tariffText(tariffPct: number): string {
  return tariffPct === 100 ? '' : ` × ${num(tariffPct, 2)} %`;
}

/**
 * Time units (seed-digest §5.3): the month's Σ duration of the concept (per band) is floored once.
 * `minute`: minutes = ⌊Σ ms / 60000⌋, the remainder is shown and never billed.
 * `minute_seconds` ("minutos con segundos"): seconds = ⌊Σ ms / 1000⌋, quantity = seconds / 60.
 * Amount = round half up(billed units × price × tariff / 100).
 */
export function priceTime(unit: BillingUnit, durationMs: number, unitPriceCents: number, tariffPct: number): LineAmount {
  const exactSeconds = durationMs / 1000;
  const price = `${pesos(unitPriceCents)}${tariffText(tariffPct)}`;
  if (unit === 'minute_seconds') {
    const seconds = Math.floor(durationMs / 1000);
    const amountCents = roundHalfUpCents((seconds * unitPriceCents * tariffPct) / (60 * 100));
    const remainderSeconds = (durationMs - seconds * 1000) / 1000;
    return {
      quantity: seconds / 60,
      exactSeconds,
      remainderSeconds,
      amountCents,
      arithmetic:
        `Σ ${num(exactSeconds)} s (${minutesAndSeconds(durationMs)}) → ⌊${num(exactSeconds)}⌋ = ${num(seconds, 0)} s = ` +
        `${num(seconds / 60, 4)} min con segundos (fracción de segundo no cobrada: ${num(remainderSeconds)} s) · ` +
        `${num(seconds, 0)} s × ${price} / 60 = ${pesos(amountCents)}`,
    };
  }
  const minutes = Math.floor(durationMs / 60_000);
  const remainderSeconds = (durationMs - minutes * 60_000) / 1000;
  const amountCents = roundHalfUpCents((minutes * unitPriceCents * tariffPct) / 100);
  return {
    quantity: minutes,
    exactSeconds,
    remainderSeconds,
    amountCents,
    arithmetic:
      `Σ ${num(exactSeconds)} s (${minutesAndSeconds(durationMs)}) → ⌊${num(exactSeconds)} / 60⌋ = ${num(minutes, 0)} min ` +
      `(remanente ${num(remainderSeconds)} s: se muestra, no se cobra) · ${num(minutes, 0)} min × ${price} = ${pesos(amountCents)}`,
  };
}

/**
 * Count units (message, mass send, event, service): quantity = Σ weight / 100 (an email at 50 %
 * counts half), amount = round half up(Σ weight × price / 100).
 */
export function priceCount(weightedPct: number, items: number, unitPriceCents: number, tariffPct = 100): LineAmount {
  const quantity = weightedPct / 100;
  const amountCents = roundHalfUpCents((weightedPct * unitPriceCents * tariffPct) / (100 * 100));
  return {
    quantity,
    exactSeconds: null,
    remainderSeconds: null,
    amountCents,
    arithmetic:
      `${num(items, 0)} elementos, Σ ponderación ${num(weightedPct, 2)} % / 100 = ${num(quantity, 4)} unidades · ` +
      `${num(quantity, 4)} × ${pesos(unitPriceCents)}${tariffText(tariffPct)} = ${pesos(amountCents)}`,
  };
}

/** A fixed monthly concept (help desk): fixedQuantity × price. */
export function priceFixed(fixedQuantity: number, unitPriceCents: number): LineAmount {
  const amountCents = roundHalfUpCents(fixedQuantity * unitPriceCents);
  return {
    quantity: fixedQuantity,
    exactSeconds: null,
    remainderSeconds: null,
    amountCents,
    arithmetic: `Cuota fija mensual: ${num(fixedQuantity, 4)} × ${pesos(unitPriceCents)} = ${pesos(amountCents)}`,
  };
}

export function isTimeUnit(unit: BillingUnit): boolean {
  return unit === 'minute' || unit === 'minute_seconds';
}
