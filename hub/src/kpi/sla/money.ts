/**
 * Integer-cent money for deductions (no float money). Rates (factor, weight, units) are turned
 * into scaled integers and multiplied as BigInt; the one rounding is to the cent, half up, at
 * the end. Deductions are never negative, so half up and half away from zero agree.
 */

const NANO = 1_000_000_000n;
const MICRO = 1_000_000n;

/** A non-negative decimal as an integer count of 10^-digits, e.g. toScaled(0.5, 6) = 500000n. */
function toScaled(value: number, scale: number): bigint {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`expected a finite number ≥ 0, got ${value}`);
  return BigInt(Math.round(value * scale));
}

function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

function cents(value: number): bigint {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cents must be a safe integer ≥ 0, got ${value}`);
  return BigInt(value);
}

/** units × factor × weightPercent % × invoice, to the cent (half up). */
export function percentOfInvoiceCents(units: number, factor: number, weightPercent: number, invoiceCents: number): number {
  const product = toScaled(units, 1e9) * toScaled(factor, 1e6) * toScaled(weightPercent, 1e6) * cents(invoiceCents);
  return Number(divideHalfUp(product, NANO * MICRO * MICRO * 100n));
}

/** units × amount per unit, to the cent (half up). */
export function fixedPerUnitCents(units: number, amountCents: number): number {
  return Number(divideHalfUp(toScaled(units, 1e9) * cents(amountCents), NANO));
}

/** percent % of an amount, rounded down: a cap must never be exceeded by rounding. */
export function percentOfCentsFloor(amountCents: number, percent: number): number {
  return Number((cents(amountCents) * toScaled(percent, 1e6)) / (MICRO * 100n));
}

/** "$1,234,567.89" */
export function formatCents(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const pesos = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${pesos}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Splits `total` cents over `weights` in proportion, largest remainder first (ties: earlier
 * index), so the parts are integers that add up exactly to `total`.
 */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((acc, weight) => acc + BigInt(weight), 0n);
  if (sum === 0n) return weights.map(() => 0);
  const big = BigInt(total);
  const floors = weights.map((weight) => (big * BigInt(weight)) / sum);
  const remainders = weights.map((weight, index) => ({ index, remainder: (big * BigInt(weight)) % sum }));
  let left = Number(big - floors.reduce((acc, part) => acc + part, 0n));
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const parts = floors.map(Number);
  for (const { index } of remainders) {
    if (left === 0) break;
    parts[index] = (parts[index] ?? 0) + 1;
    left -= 1;
  }
  return parts;
}
