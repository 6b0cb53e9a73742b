import PDFDocument from 'pdfkit';
import { money, reportHeader, type SlaReport } from './sla-report.js';

/**
 * pdfkit's built-in Helvetica encodes WinAnsi (CP-1252): Spanish accents, ñ, ¿, ¡, «», × and …
 * are in it; the math signs of the traces (≥, ≤, −, →) are not, so they are spelled in ASCII
 * rather than dropped.
 */
const REPLACEMENTS: Record<string, string> = { '≥': '>=', '≤': '<=', '−': '-', '→': '->', '≠': '!=', '✓': 'v', ' ': ' ' };
export function pdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    const replaced = REPLACEMENTS[ch];
    if (replaced !== undefined) out += replaced;
    else out += isWinAnsi(ch) ? ch : '?';
  }
  return out;
}

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
function isWinAnsi(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch) || ch === '\n';
}

export interface PdfOptions {
  /** Tests read the content streams as text with compress: false. */
  readonly compress?: boolean;
}

/** Title, campaign, month, table version, one block per row with its trace, totals, global cap, page numbers. */
export function slaReportPdf(report: SlaReport, options: PdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', margins: { top: 54, bottom: 54, left: 54, right: 54 }, bufferPages: true, compress: options.compress ?? true, info: { Title: pdfText(`${report.title} — ${report.campaignName} ${report.month}`), Author: 'Ventanilla' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const text = (value: string, size = 9, font = 'Helvetica') => doc.font(font).fontSize(size).text(pdfText(value), { width });

  text(report.title, 15, 'Helvetica-Bold');
  doc.moveDown(0.5);
  for (const [key, value] of reportHeader(report)) {
    doc.font('Helvetica-Bold').fontSize(9).text(pdfText(`${key}: `), { continued: true }).font('Helvetica').text(pdfText(value));
  }
  doc.moveDown();
  text('Filas de la tabla de niveles de servicio', 12, 'Helvetica-Bold');
  for (const row of report.rows) {
    doc.moveDown(0.6);
    text(`${row.name} (${row.kpi})`, 10, 'Helvetica-Bold');
    text(`Meta: ${row.target}   Medido: ${row.measured}   Estado: ${row.status}`);
    text(`Puntos fuera: ${row.pointsOut}   Unidades: ${row.units}   Importe propuesto: ${money(row.proposedCents)}   Tope del concepto: ${row.conceptCapCents === null ? '—' : money(row.conceptCapCents)}`);
    text(`Después del tope global: ${money(row.finalCents)}   Importe final: ${money(row.decidedCents)}   Decisión: ${row.decision}${row.reason ? ` — Motivo: ${row.reason}` : ''}`);
    for (const line of row.trace) {
      doc.font('Helvetica').fontSize(8).fillColor('#444444').text(pdfText(`• ${line}`), { width, indent: 10 });
    }
    doc.fillColor('black');
  }
  doc.moveDown();
  text('Totales y tope global', 12, 'Helvetica-Bold');
  text(`Total propuesto: ${money(report.totals.proposedCents)}`);
  text(`Total después de topes por concepto: ${money(report.totals.afterConceptCapsCents)}`);
  text(`Total después del tope global: ${money(report.totals.finalCents)}`);
  text(`Total validado / ajustado: ${money(report.totals.decidedCents)}`, 10, 'Helvetica-Bold');
  text(`Tope global: ${money(report.globalCap.capCents)}; deducido en meses anteriores: ${money(report.globalCap.alreadyDeductedCents)}; disponible: ${money(report.globalCap.remainingCents)}${report.globalCap.binding ? ' (el tope global limita el total)' : ''}`);
  for (const line of report.trace) text(`• ${line}`, 8);
  doc.moveDown();
  text(`Estado: ${report.status}${report.validatedBy ? `; validó ${report.validatedBy} el ${report.validatedAt ?? ''}` : ''}. Calculado el ${report.computedAt}.`, 9, 'Helvetica-Oblique');

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor('#666666').text(pdfText(`Página ${i + 1} de ${range.count} — ${report.campaignName} — ${report.month}`), doc.page.margins.left, doc.page.height - 36, { width, align: 'center' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
