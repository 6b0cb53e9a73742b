import PDFDocument from 'pdfkit';
import { pdfText } from '../../sla/sla-report-pdf.js';
import type { Statement, StatementLine } from '../billing.contract.js';
import { formatNumber, headerPairs, minutesAndSeconds, money, sectionTables, STATEMENT_TITLE, statusLabel, totalPairs, unitLabel, type Cell, type StatementMeta } from './statement-view.js';

export interface StatementPdfOptions {
  /** Tests read the content streams as text with compress: false. */
  readonly compress?: boolean;
}

/**
 * The statement's traces use Σ, ⌊ ⌋ and ≈, which WinAnsi lacks (pdfText would print «?»): they
 * are spelled out before pdfText handles the rest, so the signed arithmetic stays readable.
 */
const TRACE_WORDS: readonly [RegExp, string][] = [
  [/Σ\s?/g, 'Suma '],
  [/⌊/g, 'piso('],
  [/⌋/g, ')'],
  [/≈/g, '~'],
];
export function statementPdfText(text: string): string {
  return pdfText(TRACE_WORDS.reduce((acc, [re, word]) => acc.replace(re, word), text));
}

function cellText(value: Cell): string {
  if (value === null) return '—';
  return typeof value === 'number' ? formatNumber(value) : value;
}

function quantityText(line: StatementLine): string {
  return `${formatNumber(line.quantity, 4)}   Unidad: ${unitLabel(line.unit)}`;
}

/**
 * What an auditor signs: campaign, month, status (ABIERTO / CERRADO), card version and inputs
 * hash on top and in every footer; each line with its quantity, exact seconds, unbilled
 * remainder and trace; the totals; every section; a signature block. Helvetica is WinAnsi, so
 * text goes through the SLA report's `pdfText` (≥, →, − spelled in ASCII).
 */
export function statementPdf(statement: Statement, meta: StatementMeta, options: StatementPdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: { top: 54, bottom: 54, left: 54, right: 54 },
    bufferPages: true,
    compress: options.compress ?? true,
    info: { Title: statementPdfText(`${STATEMENT_TITLE} — ${meta.campaignName} ${statement.month}`), Author: 'Ventanilla' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const text = (value: string, size = 9, font = 'Helvetica') => doc.font(font).fontSize(size).fillColor('black').text(statementPdfText(value), { width });
  const detail = (value: string) => doc.font('Helvetica').fontSize(8).fillColor('#444444').text(statementPdfText(value), { width, indent: 10 });
  const pair = (key: string, value: string, size = 9) => doc.font('Helvetica-Bold').fontSize(size).fillColor('black').text(statementPdfText(`${key}: `), { continued: true }).font('Helvetica').text(statementPdfText(value));

  text(STATEMENT_TITLE, 15, 'Helvetica-Bold');
  doc.moveDown(0.5);
  for (const [key, value] of headerPairs(statement, meta)) pair(key, value);

  doc.moveDown();
  text('Conceptos', 12, 'Helvetica-Bold');
  if (statement.lines.length === 0) text('Sin consumo facturable en el mes.');
  for (const line of statement.lines) {
    doc.moveDown(0.5);
    const kind = line.kind === 'adjustment' ? ` — ajuste del mes cerrado ${line.usageMonth}` : line.kind === 'fixed' ? ' — cuota fija' : '';
    text(`${line.name} (${line.conceptCode})${kind}`, 10, 'Helvetica-Bold');
    text(`Cantidad: ${quantityText(line)}   Precio unitario: ${money(line.unitPriceCents)}   Tarifa: ${formatNumber(line.tariffPct, 2)} %   Importe: ${money(line.amountCents)}`);
    if (line.exactSeconds !== null) {
      const remainder = line.remainderSeconds === null ? '' : `; remanente no facturado: ${formatNumber(line.remainderSeconds)} s`;
      text(`Segundos exactos: ${formatNumber(line.exactSeconds)} s (${minutesAndSeconds(line.exactSeconds)})${remainder}; hechos: ${formatNumber(line.factCount, 0)}`);
    } else {
      text(`Hechos: ${formatNumber(line.factCount, 0)}`);
    }
    detail(`Traza: ${line.trace}`);
  }

  doc.moveDown();
  text('Totales', 12, 'Helvetica-Bold');
  for (const [key, value] of totalPairs(statement)) pair(key, value, key === 'Total' ? 11 : 9);

  for (const table of sectionTables(statement)) {
    doc.moveDown();
    text(table.title, 12, 'Helvetica-Bold');
    if (table.rows.length === 0) text(table.empty);
    for (const cells of table.rows) {
      doc.moveDown(0.3);
      const parts = table.columns.map((column, i) => `${column}: ${cellText(cells[i] ?? null)}`);
      text(parts.filter((_, i) => table.columns[i] !== 'Traza').join('   '), 8);
      const traceAt = table.columns.indexOf('Traza');
      if (traceAt >= 0) detail(`Traza: ${cellText(cells[traceAt] ?? null)}`);
    }
  }

  doc.moveDown(2);
  text('Conformidad', 12, 'Helvetica-Bold');
  text(`Revisé este estado de cuenta (${statusLabel(statement.status)}, tarjeta versión ${statement.rateCard.version}, huella ${statement.inputsHash}).`);
  doc.moveDown(2);
  text('Nombre y firma del auditor: ______________________________     Fecha: ______________');
  doc.moveDown(1.5);
  text('Nombre y firma del administrador de la campaña: ______________________________');

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const footer = `Página ${i + 1} de ${range.count} · ${meta.campaignName} · ${statement.month} · ${statusLabel(statement.status)} · huella ${statement.inputsHash.slice(0, 12)}`;
    doc.font('Helvetica').fontSize(8).fillColor('#666666').text(statementPdfText(footer), doc.page.margins.left, doc.page.height - 36, { width, align: 'center' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
