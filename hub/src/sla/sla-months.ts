/** `YYYY-MM` arithmetic for the contract months and the months an outage touches. */

function index(month: string): number {
  const [year, mm] = month.split('-').map(Number);
  return (year ?? 0) * 12 + (mm ?? 1) - 1;
}

function fromIndex(i: number): string {
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** 1-based month of the contract: the start month is month 1; earlier months are < 1. */
export function contractMonthOf(contractStartMonth: string, month: string): number {
  return index(month) - index(contractStartMonth) + 1;
}

/** Every month from `first` to `last`, both included (empty when last < first). */
export function monthsFromTo(first: string, last: string): string[] {
  const months: string[] = [];
  for (let i = index(first); i <= index(last); i += 1) months.push(fromIndex(i));
  return months;
}
