import { parse } from 'csv-parse/sync';
import { delimiterOf, normalizeColumn } from '../../bulk-send/list-file.js';
import { normalizePhone } from '../../contacts/identity-normalize.js';
import { HubError } from '../../errors/error-registry.js';
import { bilingual } from '../../router/config/routing-problem.js';

/**
 * A blaster's list (issue 8 item 7): one recipient a line, `phone[,name][,variables…]`, as a TXT
 * or a CSV. A first line that names a phone column (`telefono`, `phone`…) is a header: the other
 * columns are then named variables (`{fecha}`); without one, the third column onward are `{dato1}`,
 * `{dato2}`… A line whose number is not a phone is reported with its line number and a Spanish
 * reason; a number twice is kept once. Pure.
 */
export interface BlastListRow {
  line: number;
  phone: string;
  name: string | null;
  variables: Record<string, string>;
}
export interface BlastListProblem {
  line: number;
  value: string;
  reason: string;
}
export interface BlastList {
  columns: string[];
  rows: BlastListRow[];
  problems: BlastListProblem[];
  duplicates: { line: number; phone: string; firstLine: number }[];
}

const PHONE_HEADERS = new Set(['phone', 'telefono', 'tel', 'celular', 'movil', 'numero', 'mobile', 'msisdn']);
const NAME_HEADERS = new Set(['name', 'nombre', 'nombre_completo']);
const MAX_VARIABLES = 30;
const MAX_VALUE = 300;

function listError(es: string, en: string): HubError {
  return new HubError('HUB_ERR_VOICE_BLAST_LIST_INVALID', bilingual(es, en));
}

export function parseBlastList(input: string, maxRows: number): BlastList {
  const text = input.replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const firstIndex = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (firstIndex === -1) throw listError('la lista está vacía', 'the list is empty');
  const delimiter = delimiterOf(lines[firstIndex] ?? '');
  let records: { line: number; cells: string[] }[];
  try {
    const parsed: string[][] = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: true, relax_quotes: true });
    // csv-parse gives one record per physical line here (no multi-line cells in a phone list).
    records = parsed.map((cells, i) => ({ line: i + 1, cells })).filter((r) => r.cells.some((c) => c !== '') && !(r.cells[0] ?? '').startsWith('#'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw listError(`el archivo está mal formado: ${reason}`, `malformed file: ${reason}`);
  }
  const head = records[0]?.cells.map(normalizeColumn) ?? [];
  const phoneIndex = head.findIndex((h) => PHONE_HEADERS.has(h));
  const hasHeader = phoneIndex >= 0;
  const data = hasHeader ? records.slice(1) : records;
  if (data.length > maxRows) throw listError(`la lista excede ${maxRows.toLocaleString('es-MX')} números`, `the list exceeds ${maxRows.toLocaleString('en-US')} numbers`);
  const nameIndex = hasHeader ? head.findIndex((h) => NAME_HEADERS.has(h)) : 1;
  const keyIndex = hasHeader ? phoneIndex : 0;
  const columnNames = hasHeader ? head : [];
  const repeated = columnNames.find((n, i) => n !== '' && columnNames.indexOf(n) !== i);
  if (repeated) throw listError(`la columna «${repeated}» está repetida en el encabezado`, `column "${repeated}" appears twice in the header`);
  const variableIndexes: number[] = [];
  const width = Math.max(0, ...records.map((r) => r.cells.length));
  for (let i = 0; i < width; i += 1) {
    if (i === keyIndex || i === nameIndex) continue;
    if (hasHeader && (columnNames[i] ?? '') === '') continue;
    variableIndexes.push(i);
  }
  if (variableIndexes.length > MAX_VARIABLES) throw listError(`la lista admite hasta ${MAX_VARIABLES} columnas de datos`, `the list may have at most ${MAX_VARIABLES} data columns`);
  const variableName = (i: number, n: number) => (hasHeader ? (columnNames[i] ?? `dato${n + 1}`) : `dato${n + 1}`);
  const columns = variableIndexes.map((i, n) => variableName(i, n));

  const rows: BlastListRow[] = [];
  const problems: BlastListProblem[] = [];
  const duplicates: BlastList['duplicates'] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of data) {
    const raw = (cells[keyIndex] ?? '').slice(0, 40);
    if (raw === '') {
      problems.push({ line, value: '', reason: `línea ${line}: falta el número telefónico` });
      continue;
    }
    const phone = normalizePhone(raw);
    if (!phone) {
      problems.push({ line, value: raw, reason: `línea ${line}: «${raw}» no es un número telefónico válido` });
      continue;
    }
    const first = seen.get(phone);
    if (first !== undefined) {
      duplicates.push({ line, phone, firstLine: first });
      continue;
    }
    seen.set(phone, line);
    const variables: Record<string, string> = {};
    variableIndexes.forEach((i, n) => {
      variables[variableName(i, n)] = (cells[i] ?? '').slice(0, MAX_VALUE);
    });
    const name = nameIndex >= 0 ? (cells[nameIndex] ?? '').slice(0, 200) : '';
    rows.push({ line, phone, name: name === '' ? null : name, variables });
  }
  return { columns, rows, problems, duplicates };
}
