import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { statementCsv } from '../../../hub/src/billing/export/statement-csv.js';
import { statementPdf } from '../../../hub/src/billing/export/statement-pdf.js';
import { minutesAndSeconds, statementFilename } from '../../../hub/src/billing/export/statement-view.js';
import { statementXlsx } from '../../../hub/src/billing/export/statement-xlsx.js';
import { pdfVisibleText } from '../../sla/sla-fixtures.js';
import { FIXTURE_META, FIXTURE_TOTALS, fixtureStatement } from './statement-fixture.js';

/** The three statement files from one hand-built statement (figures in statement-fixture.ts). */

function csvLines(csv: string): string[] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  return csv.slice(1).split('\r\n');
}

describe('statement files', () => {
  it('spells minutes with their exact seconds from whole milliseconds', () => {
    // 7,530.25 s = 125 × 60 + 30.25; 61 s = 1 min 1 s; 0.001 s stays visible.
    expect(minutesAndSeconds(7530.25)).toBe('125 min 30.25 s');
    expect(minutesAndSeconds(61)).toBe('1 min 1 s');
    expect(minutesAndSeconds(3_600_000.001)).toBe('60,000 min 0.001 s');
  });

  it('names the file after the campaign and the month, without accents', () => {
    expect(statementFilename('Orientación Médica', '2026-10', 'pdf')).toBe('estado-de-cuenta-orientacion-medica-2026-10.pdf');
  });

  it('CSV: header, every line with its seconds, remainder and trace, totals and sections; formula-safe', () => {
    const lines = csvLines(statementCsv(fixtureStatement(), FIXTURE_META));
    expect(lines[0]).toBe('Estado de cuenta mensual');
    expect(lines).toContain('Campaña,Orientación Médica Telefónica');
    expect(lines).toContain('Mes,2026-10');
    expect(lines).toContain('Estado,ABIERTO');
    expect(lines).toContain('Tarjeta de tarifas,versión 3 (99999999-8888-4777-8666-555555555555)');
    expect(lines).toContain('Huella de insumos (SHA-256),3f1c2a9b7d8e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a');
    expect(lines).toContain(
      'Tipo,Concepto,Nombre,Unidad,Mes de uso,Cantidad,Segundos exactos,Minutos y segundos,Remanente no facturado (s),Hechos,Precio unitario,Tarifa,Importe,Traza',
    );
    // 125 min × $2.38 = $297.50; 7,530.25 s = 125 min 30.25 s, 30.25 s not billed; the trace has a comma → quoted.
    expect(lines).toContain(
      'Uso del mes,ps_i_inbound,Entrante PS-I por líneas del proveedor,minuto,2026-10,125,7530.25,125 min 30.25 s,30.25,3,$2.38,100 %,$297.50,"Σ 7,530.25 s de 3 hechos → ⌊7,530.25 / 60⌋ = 125 min × $2.38 = $297.50"',
    );
    // The adjustment names the closed month; a count line has no seconds.
    expect(lines.find((l) => l.startsWith('Ajuste de mes cerrado 2026-09,ps_i_inbound,'))).toContain(',1,61,1 min 1 s,1,1,$2.38,100 %,$2.38,');
    expect(lines.find((l) => l.startsWith('Uso del mes,email_out,'))).toContain(',mensaje,2026-10,2.5,,,,3,$17.74,100 %,$44.35,');
    expect(lines.find((l) => l.startsWith('Cuota fija,help_desk,'))).toContain('"$20,285.78"');
    expect(lines).toContain(`Subtotal,"${FIXTURE_TOTALS.subtotal}"`);
    expect(lines).toContain(`Deductivas,${FIXTURE_TOTALS.deductions}`);
    expect(lines).toContain(`Penas convencionales,${FIXTURE_TOTALS.penalties}`);
    expect(lines).toContain(`Base,"${FIXTURE_TOTALS.base}"`);
    expect(lines).toContain(`IVA 16 %,"${FIXTURE_TOTALS.iva}"`);
    expect(lines).toContain(`Total,"${FIXTURE_TOTALS.total}"`);
    for (const title of ['Deductivas', 'Penas convencionales', 'Consumo contra mínimo y máximo con pronóstico', 'Interacciones excluidas por falta de evidencia', 'Uso sin concepto (no facturado)']) {
      expect(lines).toContain(title);
    }
    expect(lines).toContain('Niveles de servicio,Abandono diario,,Propuesta (no aplicada),,$50.00,$0.00,Propuesta sin validar: no se aplica');
    // A description starting with "=" would be a formula in a spreadsheet: it gets an apostrophe.
    expect(lines).toContain("'=SUM(A1) entrega tardía del reporte,por día de atraso,2,$15.00,$30.00,$30.00,2 días × $15.00");
    // 176 of 1,000 = 17.6 % burned; forecast 352 < 400 minimum.
    expect(lines).toContain('ps_i_inbound,Entrante PS-I por líneas del proveedor,400,1000,176,17.6 %,824,352,Por debajo del mínimo,2026-09: 51; 2026-10: 125');
    expect(lines).toContain('OMT-2026-000123,,CA0123456789abcdef,missing_recording,"ivr_time, interaction_time",95.5,0');
    expect(lines).toContain('agent_time,agent_time · PS-P · voz,2026-10,120,0,1');
  });

  it('CSV: an empty section says so instead of showing bare headings', () => {
    const lines = csvLines(statementCsv(fixtureStatement({ excluded: [], penalties: [], penaltiesCents: 0 }), FIXTURE_META));
    const at = lines.indexOf('Interacciones excluidas por falta de evidencia');
    expect(lines[at + 1]).toBe('Ninguna interacción excluida.');
    expect(lines).toContain('Sin penas convencionales en el mes.');
    expect(lines).toContain('Penas convencionales,$0.00');
  });

  it('XLSX: summary with header and totals, one row per line with numbers as numbers, one sheet per section', async () => {
    const statement = fixtureStatement({ status: 'closed' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Uint8Array.from(await statementXlsx(statement, FIXTURE_META)).buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Estado de cuenta', 'Conceptos', 'Deductivas', 'Penas', 'Consumo', 'Excluidas', 'Uso sin concepto']);

    const pairs = new Map<string, unknown>();
    book.getWorksheet('Estado de cuenta')?.eachRow((r) => pairs.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(pairs.get('Campaña')).toBe('Orientación Médica Telefónica');
    expect(pairs.get('Estado')).toBe('CERRADO');
    expect(pairs.get('Total')).toBe(FIXTURE_TOTALS.total);
    expect(pairs.get('IVA 16 %')).toBe(FIXTURE_TOTALS.iva);
    expect(pairs.get('Base')).toBe(FIXTURE_TOTALS.base);

    const lines = book.getWorksheet('Conceptos');
    expect(lines?.rowCount).toBe(statement.lines.length + 1);
    expect(lines?.getRow(1).getCell(7).value).toBe('Segundos exactos');
    const first = lines?.getRow(2);
    expect(first?.getCell(6).value).toBe(125);
    expect(first?.getCell(7).value).toBe(7530.25);
    expect(first?.getCell(9).value).toBe(30.25);
    expect(first?.getCell(13).value).toBe('$297.50');
    expect(String(first?.getCell(14).value)).toContain('125 min × $2.38');

    const penalties = book.getWorksheet('Penas');
    // Written as a string, so no spreadsheet evaluates it.
    expect(penalties?.getRow(2).getCell(1).value).toBe('=SUM(A1) entrega tardía del reporte');
    expect(book.getWorksheet('Excluidas')?.getRow(2).getCell(1).value).toBe('OMT-2026-000123');
    expect(book.getWorksheet('Consumo')?.getRow(2).getCell(8).value).toBe(352);
  });

  it('PDF: campaign, month, status, card version, inputs hash, each line with seconds and trace, totals, signature', async () => {
    const pdf = await statementPdf(fixtureStatement(), FIXTURE_META);
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    const text = pdfVisibleText(pdf);
    expect(text).toContain('Estado de cuenta mensual');
    expect(text).toContain('Orientación Médica Telefónica');
    expect(text).toContain('2026-10');
    expect(text).toContain('ABIERTO');
    expect(text).toContain('versión 3 (99999999-8888-4777-8666-555555555555)');
    expect(text).toContain('3f1c2a9b7d8e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a');
    expect(text).toContain('Entrante PS-I por líneas del proveedor (ps_i_inbound)');
    expect(text).toContain('Importe: $297.50');
    expect(text).toContain('Segundos exactos: 7,530.25 s (125 min 30.25 s); remanente no facturado: 30.25 s; hechos: 3');
    expect(text).toContain('ajuste del mes cerrado 2026-09');
    expect(text).toContain(FIXTURE_TOTALS.total);
    expect(text).toContain('IVA 16 %');
    expect(text).toContain('Interacciones excluidas por falta de evidencia');
    expect(text).toContain('Folio: OMT-2026-000123');
    expect(text).toContain('Nombre y firma del auditor');
    expect(text).toMatch(/Página 1 de \d+ · Orientación Médica Telefónica · 2026-10 · ABIERTO/);
    // pdfkit's Helvetica is WinAnsi: the trace's Σ, → and ⌊ ⌋ are spelled out, never printed as «?».
    expect(text).toContain('Traza: Suma 7,530.25 s de 3 hechos -> piso(7,530.25 / 60) = 125 min × $2.38 = $297.50');
    expect(text).not.toContain('?');
  });

  it('PDF: a closed month says CERRADO', async () => {
    const text = pdfVisibleText(await statementPdf(fixtureStatement({ status: 'closed' }), FIXTURE_META));
    expect(text).toContain('CERRADO');
    expect(text).not.toContain('ABIERTO');
  });
});
