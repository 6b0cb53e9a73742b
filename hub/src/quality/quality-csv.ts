import type { ExportSampleRow } from './quality.queries.js';

/**
 * A sample with its scores as CSV (UTF-8 BOM for Excel). Items not yet evaluated keep an empty
 * score: the KPI still divides by the sample's N. A cell a spreadsheet would read as a formula
 * gets an apostrophe (CSV injection).
 */
export const QUALITY_CSV_HEADER = ['posicion', 'folio', 'conversacion', 'atendida', 'agente', 'analista', 'calificacion', 'guia', 'respuestas', 'comentarios'] as const;

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function qualitySampleCsv(rows: readonly ExportSampleRow[]): string {
  const lines = [QUALITY_CSV_HEADER.join(',')];
  for (const r of rows) {
    const answers = r.answers
      ? Object.entries(r.answers)
          .map(([id, a]) => `${id}=${a.met ? 'cumple' : 'no cumple'}${a.comment ? ` (${a.comment})` : ''}`)
          .join(' | ')
      : '';
    lines.push(
      [String(r.position), r.folio, r.conversationId, r.answeredAt ?? '', r.agentName ?? r.agentId ?? '', r.analystName ?? '', r.score === null ? '' : r.score.toFixed(2), r.scorecard ?? '', answers, r.comments ?? '']
        .map(cell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
