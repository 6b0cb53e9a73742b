import { flattenColumns, localDateTime, type FlatValue } from './report-flatten.js';
import type { ReportLang, ReportTable } from './report-table.js';

/**
 * CSV (RFC 4180): comma-separated, CRLF, fields with a quote, comma or line break quoted, UTF-8
 * with a BOM so Excel shows the accents. A text cell starting with = + - @ (or a tab / CR) gets a
 * leading apostrophe, so a spreadsheet never runs it as a formula (CSV injection). Numbers use a
 * dot; instants are ISO 8601 with the campaign's offset.
 */
export function csvField(value: FlatValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function reportCsv(table: ReportTable, lang: ReportLang, timeZone: string): string {
  const columns = flattenColumns(table, lang);
  const lines = [columns.map((c) => csvField(c.header)).join(',')];
  for (const row of table.rows) {
    lines.push(
      columns
        .map((c) => {
          const value = c.value(row);
          if (c.kind === 'datetime' && typeof value === 'string') {
            const local = localDateTime(value, timeZone);
            return csvField(`${local.text.replace(' ', 'T')}${local.offset}`);
          }
          return csvField(value);
        })
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
