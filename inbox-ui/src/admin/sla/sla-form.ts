import type { SlaRowInput } from '../../../../hub/src/kpi/sla/sla-table.schema.js';

/** Pure helpers of the SLA section (tested in sla-form.test.ts). */

/** "1,234,567.89" or "1234567.89" or "$1,000" → cents; null when it is not an amount. */
export function parseMoney(text: string): number | null {
  const clean = text.replace(/[$\s,]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  const [pesos = '0', centavos = ''] = clean.split('.');
  const cents = Number(pesos) * 100 + Number(centavos.padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

export function formatMoney(cents: number): string {
  const pesos = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `$${pesos}.${String(cents % 100).padStart(2, '0')}`;
}

/** The month before today's (what an admin evaluates), as YYYY-MM. */
export function previousMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

/** A new row with the T&C's most common shape; the admin edits it. */
export function blankRow(existing: readonly SlaRowInput[]): SlaRowInput {
  let n = existing.length + 1;
  while (existing.some((r) => r.id === `fila-${n}`)) n += 1;
  return { id: `fila-${n}`, name: '', kpi: 'service_level', target: 80, direction: 'gte', unitSize: 1, rounding: 'exact', deduction: { kind: 'percent_of_invoice', factor: 0.5, weightPercent: 5 } };
}

/** The hub's problems for one row's field: `rows.<i>.<field>` (and its sub-paths). */
export function rowMessages(errors: Readonly<Record<string, readonly string[]>>, index: number, field: string): string[] {
  const prefix = `rows.${index}.${field}`;
  return Object.entries(errors)
    .filter(([path]) => path === prefix || path.startsWith(`${prefix}.`))
    .flatMap(([, messages]) => messages);
}

/** A local datetime-local value (YYYY-MM-DDTHH:MM) read in the campaign's fixed offset, as ISO with offset. */
export function localInputToIso(value: string, offset: string): string | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) && /^[+-]\d{2}:\d{2}$/.test(offset) ? `${value}:00${offset}` : null;
}
