import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { averageHandleTime } from '../kpi/formulas/aht.js';
import { serviceLevel } from '../kpi/formulas/service-level.js';
import { csvField, reportCsv } from './report-csv.js';
import { localDateTime } from './report-flatten.js';
import { col, type ReportTable } from './report-table.js';
import { reportXlsx } from './report-xlsx.js';

// SL 2 of 5 received = 40 %; AHT (120 000 + 180 000) ms / 2 = 150 s.
const sl = serviceLevel({ attendedWithinThreshold: 2, attended: 4, received: 5, thresholdMs: 20_000, denominator: 'received' });
const aht = averageHandleTime({ attended: 2, talkMs: 300_000 });
const empty = serviceLevel({ attendedWithinThreshold: 0, attended: 0, received: 0, thresholdMs: 20_000, denominator: 'received' });

const table: ReportTable = {
  id: 'sample',
  title_es: 'Muestra: nivel/servicio [día]',
  title_en: 'Sample',
  columns: [col('name', 'text', 'Nombre', 'Name'), col('at', 'datetime', 'Hora', 'Time'), col('n', 'integer', 'Recibidas', 'Received'), col('sl', 'kpi', 'Nivel de servicio', 'Service level'), col('aht', 'kpi', 'AHT (s)', 'AHT (s)')],
  rows: [
    { name: 'Orientación, "general"', at: '2025-03-12T15:00:00.000Z', n: 5, sl, aht },
    { name: '=HYPERLINK("http://x")', at: null, n: 0, sl: empty, aht: null },
    { name: '+5255 línea\r\nnueva', at: null, n: 1, sl: null, aht: null },
  ],
  notes: [{ label_es: 'Zona horaria', label_en: 'Time zone', value: 'America/Mexico_City' }],
};

describe('report CSV (RFC 4180)', () => {
  it('starts with a BOM, uses CRLF, quotes and escapes, and parses back to the same numbers', () => {
    const text = reportCsv(table, 'es', 'America/Mexico_City');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows: string[][] = parse(text, { bom: true });
    expect(rows[0]).toEqual([
      'Nombre',
      'Hora',
      'Recibidas',
      'Nivel de servicio (valor)',
      'Nivel de servicio — numerador',
      'Nivel de servicio — denominador',
      'AHT (s) (valor)',
      'AHT (s) — numerador',
      'AHT (s) — denominador',
    ]);
    expect(rows[1]).toEqual(['Orientación, "general"', '2025-03-12T09:00:00-06:00', '5', '40', '2', '5', '150', '300', '2']);
    // No traffic: the value is empty, numerator and denominator stay (0 / 0).
    expect(rows[2]?.slice(3, 6)).toEqual(['', '0', '0']);
    expect(rows[3]?.[0]).toBe("'+5255 línea\r\nnueva");
  });

  it('neutralises formula injection in text cells', () => {
    for (const start of ['=', '+', '-', '@']) expect(csvField(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('normal')).toBe('normal');
    expect(csvField(-3)).toBe('-3');
  });

  it('has English headers with lang=en', () => {
    const rows: string[][] = parse(reportCsv(table, 'en', 'America/Mexico_City'), { bom: true });
    expect(rows[0]?.slice(0, 6)).toEqual(['Name', 'Time', 'Received', 'Service level (value)', 'Service level — numerator', 'Service level — denominator']);
  });
});

describe('report XLSX', () => {
  it('writes a sheet per table with bold headers, numbers as numbers, and a notes sheet', async () => {
    const buffer = await reportXlsx([table], 'es', { timeZone: 'America/Mexico_City', reportName: 'Prueba', creator: 'test', generatedAt: new Date('2025-03-13T00:00:00Z') });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Uint8Array.from(buffer).buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Muestra nivel servicio día', 'Notas']);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(4).value).toBe('Nivel de servicio (valor)');
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    const r = sheet.getRow(2);
    expect([r.getCell(3).value, r.getCell(4).value, r.getCell(5).value, r.getCell(6).value, r.getCell(7).value, r.getCell(8).value]).toEqual([5, 40, 2, 5, 150, 300]);
    expect(r.getCell(4).numFmt).toBe('0.00');
    // The campaign's wall-clock time (09:00 in Mexico City), written as a zone-less date.
    const at = r.getCell(2).value;
    expect(at instanceof Date ? at.toISOString() : at).toBe('2025-03-12T09:00:00.000Z');
    // A string that looks like a formula stays a string.
    expect(sheet.getRow(3).getCell(1).value).toBe('=HYPERLINK("http://x")');
    expect(sheet.getRow(3).getCell(1).formula).toBeUndefined();
    const notes = book.getWorksheet('Notas')!;
    const values = notes.getSheetValues().flat().filter((v) => typeof v === 'string');
    expect(values).toContain('America/Mexico_City');
  });
});

describe('localDateTime', () => {
  it('gives the wall clock and offset of the zone, DST included', () => {
    expect(localDateTime('2025-03-12T15:00:00Z', 'America/Mexico_City')).toEqual({ text: '2025-03-12 09:00:00', offset: '-06:00' });
    // 2021-04-04: Mexico City still had DST (−05:00).
    expect(localDateTime('2021-04-04T15:00:00Z', 'America/Mexico_City')).toEqual({ text: '2021-04-04 10:00:00', offset: '-05:00' });
    expect(localDateTime('2025-03-12T15:00:00Z', 'UTC')).toEqual({ text: '2025-03-12 15:00:00', offset: '+00:00' });
  });
});
