import ExcelJS from 'exceljs';
import { flattenColumns, localDateTime } from './report-flatten.js';
import { labelOf, type ReportLang, type ReportTable } from './report-table.js';

/**
 * XLSX with exceljs: one sheet per table (bold, shaded, frozen header; numbers as numbers with a
 * number format; instants as the campaign's wall-clock time) and a «Notas» sheet with the
 * formulas, thresholds, time zone and generation time. Strings are written as strings, so a cell
 * that starts with "=" is never a formula.
 */
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };

/** Excel sheet names: ≤ 31 characters, none of : \ / ? * [ ], unique in the book. */
function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[:\\/?*[\]]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 28) || 'Hoja';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 26)} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

export async function reportXlsx(tables: readonly ReportTable[], lang: ReportLang, meta: { timeZone: string; reportName: string; creator: string; generatedAt: Date }): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = meta.creator;
  book.created = meta.generatedAt;
  const taken = new Set<string>();
  for (const table of tables) {
    // The campaign's name (after « — ») is in the notes; the tab keeps the table's own name.
    const title = (lang === 'en' ? table.title_en : table.title_es).split(' — ')[0] ?? table.id;
    const sheet = book.addWorksheet(sheetName(title, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    const columns = flattenColumns(table, lang);
    sheet.columns = columns.map((c, i) => ({ key: `c${i}`, width: Math.min(45, Math.max(12, c.header.length + 2)), ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
    const header = sheet.getRow(1);
    columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
      cell.alignment = { vertical: 'middle', wrapText: true };
    });
    header.commit();
    for (const row of table.rows) {
      sheet.addRow(
        columns.map((c) => {
          const value = c.value(row);
          if (c.kind === 'datetime' && typeof value === 'string') {
            // The wall-clock time as a zone-less Excel date (the zone is in the notes).
            return new Date(`${localDateTime(value, meta.timeZone).text.replace(' ', 'T')}Z`);
          }
          return value;
        }),
      );
    }
  }
  const notes = book.addWorksheet(lang === 'en' ? 'Notes' : 'Notas');
  notes.columns = [{ width: 40 }, { width: 40 }, { width: 100 }];
  const head = notes.addRow(lang === 'en' ? ['Table', 'Note', 'Value'] : ['Tabla', 'Nota', 'Valor']);
  head.font = { bold: true };
  head.eachCell((cell) => (cell.fill = HEADER_FILL));
  notes.addRow([meta.reportName, lang === 'en' ? 'Report' : 'Reporte', meta.reportName]);
  for (const table of tables) for (const note of table.notes) notes.addRow([lang === 'en' ? table.title_en : table.title_es, labelOf(note, lang), note.value]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
