import PDFDocument from 'pdfkit';
import { pdfText } from '../sla/sla-report-pdf.js';

export interface PdfSection {
  heading: string;
  pairs?: readonly (readonly [string, string])[];
  lines?: readonly string[];
}

/**
 * A plain document (title, sections of key: value pairs and lines, page numbers) for the purge
 * certificate and the ARCO export. Helvetica is WinAnsi: text goes through the SLA report's pdfText.
 */
export function privacyPdf(title: string, sections: readonly PdfSection[], options: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', margins: { top: 54, bottom: 54, left: 54, right: 54 }, bufferPages: true, compress: options.compress ?? true, info: { Title: pdfText(title), Author: 'Ventanilla' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  doc.font('Helvetica-Bold').fontSize(15).text(pdfText(title), { width });
  for (const section of sections) {
    doc.moveDown();
    doc.font('Helvetica-Bold').fontSize(12).text(pdfText(section.heading), { width });
    for (const [key, value] of section.pairs ?? []) {
      doc.font('Helvetica-Bold').fontSize(9).text(pdfText(`${key}: `), { width, continued: true }).font('Helvetica').text(pdfText(value));
    }
    for (const line of section.lines ?? []) doc.font('Helvetica').fontSize(9).text(pdfText(line), { width });
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor('#444444').text(pdfText(`${title} — página ${i + 1} de ${range.count}`), doc.page.margins.left, doc.page.height - 36, { width, align: 'center' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
