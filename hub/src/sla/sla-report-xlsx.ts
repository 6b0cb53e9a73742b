import ExcelJS from 'exceljs';
import { reportHeader, ROW_COLUMNS, rowCells, type SlaReport } from './sla-report.js';

const BOLD = { bold: true };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };

/** Two sheets: «Resumen» (header, totals, month trace) and «Filas» (one line per SLA row). */
export async function slaReportXlsx(report: SlaReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Ventanilla';
  book.created = new Date(report.computedAt);
  const summary = book.addWorksheet('Resumen');
  summary.columns = [{ width: 38 }, { width: 60 }];
  summary.addRow([report.title]).font = { bold: true, size: 14 };
  for (const [key, value] of reportHeader(report)) summary.addRow([key, value]).getCell(1).font = BOLD;
  summary.addRow([]);
  summary.addRow(['Traza del mes']).font = BOLD;
  for (const line of report.trace) summary.addRow([line]);

  const rows = book.addWorksheet('Filas', { views: [{ state: 'frozen', ySplit: 1 }] });
  rows.columns = ROW_COLUMNS.map((header) => ({ header, width: header === 'Traza' ? 100 : 18 }));
  rows.getRow(1).font = BOLD;
  rows.getRow(1).eachCell((c) => {
    c.fill = HEADER_FILL;
  });
  for (const row of report.rows) {
    const added = rows.addRow(rowCells(row));
    added.getCell(ROW_COLUMNS.length).alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
