import ExcelJS from 'exceljs';
import type { Statement } from '../billing.contract.js';
import { headerPairs, LINE_COLUMNS, lineCells, sectionTables, STATEMENT_TITLE, totalPairs, type Cell, type StatementMeta } from './statement-view.js';

const BOLD = { bold: true };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const SHEET_NAMES = ['Deductivas', 'Penas', 'Consumo', 'Excluidas', 'Uso sin concepto'] as const;

function addTable(sheet: ExcelJS.Worksheet, columns: readonly string[], rows: readonly (readonly Cell[])[]): void {
  sheet.columns = columns.map((header) => ({ header, width: header === 'Traza' ? 100 : Math.min(40, Math.max(14, header.length + 2)) }));
  const head = sheet.getRow(1);
  head.font = BOLD;
  head.eachCell((c) => {
    c.fill = HEADER_FILL;
    c.alignment = { vertical: 'middle', wrapText: true };
  });
  // Strings stay strings (exceljs never turns "=…" text into a formula); numbers stay numbers.
  for (const cells of rows) sheet.addRow([...cells]);
}

/**
 * Sheets: «Estado de cuenta» (header and totals), «Conceptos» (one row per line with its trace;
 * seconds as numbers with milliseconds), then one sheet per section. An empty section keeps its
 * headings and says why it is empty on row 2.
 */
export async function statementXlsx(statement: Statement, meta: StatementMeta): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Ventanilla';
  book.created = meta.generatedAt;

  const summary = book.addWorksheet('Estado de cuenta');
  summary.columns = [{ width: 34 }, { width: 80 }];
  summary.addRow([STATEMENT_TITLE]).font = { bold: true, size: 14 };
  for (const [key, value] of headerPairs(statement, meta)) summary.addRow([key, value]).getCell(1).font = BOLD;
  summary.addRow([]);
  summary.addRow(['Totales']).font = BOLD;
  for (const [key, value] of totalPairs(statement)) summary.addRow([key, value]).getCell(1).font = BOLD;

  const lines = book.addWorksheet('Conceptos', { views: [{ state: 'frozen', ySplit: 1 }] });
  addTable(lines, LINE_COLUMNS, statement.lines.map(lineCells));
  lines.getColumn(LINE_COLUMNS.indexOf('Segundos exactos') + 1).numFmt = '#,##0.000';
  lines.getColumn(LINE_COLUMNS.indexOf('Traza') + 1).alignment = { wrapText: true, vertical: 'top' };

  sectionTables(statement).forEach((table, i) => {
    const sheet = book.addWorksheet(SHEET_NAMES[i] ?? `Sección ${i + 1}`, { views: [{ state: 'frozen', ySplit: 1 }] });
    addTable(sheet, table.columns, table.rows.length > 0 ? table.rows : [[table.empty]]);
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
