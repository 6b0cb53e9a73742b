import { reportHeader, ROW_COLUMNS, rowCells, type SlaReport } from './sla-report.js';

/** A cell a spreadsheet would take for a formula gets an apostrophe (CSV injection). */
function cell(value: string | number): string {
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** UTF-8 with BOM (Excel reads the accents); the header block, a blank line, then one line per row. */
export function slaReportCsv(report: SlaReport): string {
  const lines = [cell(report.title), ...reportHeader(report).map(([k, v]) => `${cell(k)},${cell(v)}`), '', ROW_COLUMNS.map(cell).join(',')];
  for (const row of report.rows) lines.push(rowCells(row).map(cell).join(','));
  lines.push('', cell('Traza del mes'));
  for (const line of report.trace) lines.push(cell(line));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
