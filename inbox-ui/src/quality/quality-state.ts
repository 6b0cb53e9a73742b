import type { Answer, ScorecardItem } from './quality-api.js';

/** 'YYYY-MM' of an instant in a time zone (the campaign's). */
export function monthOf(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(instant);
  const year = parts.find((p) => p.type === 'year')?.value ?? '1970';
  const month = parts.find((p) => p.type === 'month')?.value ?? '01';
  return `${year}-${month}`;
}

export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = (y ?? 1970) * 12 + ((m ?? 1) - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * The score the hub will compute (shown while the analyst answers; the hub's is the one stored):
 * Σ weights of met items, 0 if a critical item is not met, null until every item is answered.
 */
export function previewScore(items: readonly ScorecardItem[], answers: Readonly<Record<string, Answer | undefined>>): number | null {
  if (items.some((i) => answers[i.id] === undefined)) return null;
  if (items.some((i) => i.critical && answers[i.id]?.met === false)) return 0;
  return items.reduce((sum, i) => sum + (answers[i.id]?.met ? Math.round(i.weight * 100) : 0), 0) / 100;
}

/** Weights of an edited scorecard, in hundredths, and whether they make exactly 100. */
export function weightTotal(items: readonly Pick<ScorecardItem, 'weight'>[]): { total: number; ok: boolean } {
  const cents = items.reduce((sum, i) => sum + Math.round((Number.isFinite(i.weight) ? i.weight : 0) * 100), 0);
  return { total: cents / 100, ok: cents === 10_000 };
}

/** A key for a new item from its label: lowercase ASCII, underscores, unique among the others. */
export function itemKey(label: string, taken: readonly string[]): string {
  const base =
    label
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 34) || 'punto';
  let key = base;
  for (let n = 2; taken.includes(key); n += 1) key = `${base}_${n}`;
  return key;
}
