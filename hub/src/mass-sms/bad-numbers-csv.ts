/**
 * The downloadable bad-number list: invalid, undelivered, failed and opted-out numbers with the
 * reason, as CSV for a spreadsheet (UTF-8 BOM so Excel reads accents; a cell a spreadsheet would
 * take for a formula gets an apostrophe — CSV injection). The mass-mail one names e-mail columns.
 */
export interface BadNumberRow {
  phone: string;
  name: string | null;
  status: string;
  errorCode: string | null;
  error: string | null;
  attempts: number;
  at: Date | null;
}

export const BAD_NUMBER_HEADER = ['telefono', 'nombre', 'estado', 'codigo', 'motivo', 'intentos', 'fecha'] as const;

const STATUS_TEXT: Record<string, string> = {
  invalid: 'inválido / invalid',
  undelivered: 'no entregado / undelivered',
  failed: 'fallido / failed',
  opted_out: 'dado de baja / opted out',
};

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function badNumbersCsv(rows: readonly BadNumberRow[]): string {
  const lines = [BAD_NUMBER_HEADER.join(',')];
  for (const r of rows) {
    lines.push([r.phone, r.name ?? '', STATUS_TEXT[r.status] ?? r.status, r.errorCode ?? '', r.error ?? '', String(r.attempts), r.at ? r.at.toISOString() : ''].map(cell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
