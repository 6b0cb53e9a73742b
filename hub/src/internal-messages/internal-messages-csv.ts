import type { ExportRow } from './internal-message.queries.js';

/**
 * The downloadable internal-message log (seed L8088–L8097). UTF-8 BOM for Excel; a cell a
 * spreadsheet would take for a formula gets an apostrophe (CSV injection).
 */
export const INTERNAL_MESSAGES_HEADER = ['id', 'fecha', 'de_correo', 'de_nombre', 'para_correo', 'para_nombre', 'mensaje', 'leido'] as const;

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function internalMessagesCsv(rows: readonly ExportRow[]): string {
  const lines = [INTERNAL_MESSAGES_HEADER.join(',')];
  for (const r of rows) {
    lines.push([r.id, r.createdAt.toISOString(), r.fromEmail, r.fromName, r.toEmail, r.toName, r.body, r.readAt ? r.readAt.toISOString() : ''].map(cell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
