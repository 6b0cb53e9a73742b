import type { VoiceBlastRecipient } from '../../db/schema.js';

/**
 * A blast's results for a spreadsheet: one row per recipient with its status in Spanish, the key
 * pressed, attempts and the reason of a failure (UTF-8 BOM so Excel reads accents; a cell a
 * spreadsheet would take for a formula gets an apostrophe — CSV injection, as mass SMS's export).
 */
export const RESULTS_HEADER = ['linea', 'telefono', 'nombre', 'estado', 'tecla', 'intentos', 'call_sid', 'motivo', 'actualizado'] as const;

export const RECIPIENT_STATUS_TEXT: Record<VoiceBlastRecipient['status'], string> = {
  pending: 'pendiente',
  calling: 'llamando',
  answered: 'contestó',
  confirmed: 'confirmó',
  declined: 'declinó',
  transferred: 'transferido a asesor',
  no_answer: 'no contestó',
  busy: 'ocupado',
  failed: 'fallida',
  machine: 'buzón / contestadora',
  opted_out: 'no llamar',
  invalid: 'número inválido',
};

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function blastResultsCsv(rows: readonly VoiceBlastRecipient[]): string {
  const lines = [RESULTS_HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [String(r.line), r.phone, r.name ?? '', RECIPIENT_STATUS_TEXT[r.status], r.digits ?? '', String(r.attempts), r.call_sid ?? '', r.last_error ?? '', r.updated_at.toISOString()].map(cell).join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
