/**
 * Number formats shared by the benchmarks' Markdown reports: en-US grouping, a dash for what was
 * not measured (NaN, ±Infinity) so a missing figure never reads as a zero.
 */
export const n0 = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—');
export const n1 = (v: number): string => (Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }) : '—');
export const n2 = (v: number): string => (Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '—');
export const n3 = (v: number): string => (Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 }) : '—');
export const mib = (bytes: number): string => `${n1(bytes / 1048576)} MiB`;
export const kib = (bytes: number): string => `${n1(bytes / 1024)} KiB`;
/** a ÷ b as "1.23×" (the hub against its baseline), a dash when it cannot be computed. */
export const ratio = (a: number, b: number): string => (b !== 0 && Number.isFinite(a / b) ? `${n2(a / b)}×` : '—');
