/**
 * The downloadable bad-address list (seed §1.4): invalid, refused and bounced addresses with the
 * reason, as CSV for a spreadsheet. A UTF-8 BOM makes Excel read the accents; a cell that a
 * spreadsheet would take for a formula is prefixed with an apostrophe (CSV injection).
 */
export interface BadAddressRow {
  email: string;
  name: string | null;
  status: string;
  error: string | null;
  at: Date | null;
}

export const BAD_ADDRESS_HEADER = ['correo', 'nombre', 'estado', 'motivo', 'fecha'] as const;

const STATUS_TEXT: Record<string, string> = {
  invalid: 'inválido / invalid',
  failed: 'rechazado / failed',
  bounced: 'rebotado / bounced',
};

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function badAddressesCsv(rows: readonly BadAddressRow[]): string {
  const lines = [BAD_ADDRESS_HEADER.join(',')];
  for (const r of rows) {
    lines.push([r.email, r.name ?? '', STATUS_TEXT[r.status] ?? r.status, r.error ?? '', r.at ? r.at.toISOString() : ''].map(cell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
