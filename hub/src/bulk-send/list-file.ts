import { parse } from 'csv-parse/sync';
import type { HubError } from '../errors/error-registry.js';

/**
 * The parts of a bulk-send list file (mass mail, mass SMS) that do not depend on what a row
 * addresses: the header line and its delimiter, and the CSV grammar (key column, optional name,
 * every other column a `{{variable}}`). Pure; each list keeps its own row validation and errors.
 */

/** `Correo Electrónico` → `correo_electronico`: the name a template writes as `{{…}}`. */
export function normalizeColumn(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The delimiter a spreadsheet used: the most frequent of `,` `;` tab in the header, `,` when none. */
export function delimiterOf(headerLine: string): string {
  const counts = [',', ';', '\t'].map((d) => ({ d, n: headerLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0] && counts[0].n > 0 ? counts[0].d : ',';
}

export interface ListHead {
  /** The file without a byte-order mark. */
  text: string;
  firstLine: string;
  delimiter: string;
  /** The first line's cells as normalised column names. */
  headers: string[];
}

/** The first non-empty line of a list, read as a header; `empty` when the list has none. */
export function readListHead(input: string, empty: () => HubError): ListHead {
  const text = input.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  if (firstLine === '') throw empty();
  const delimiter = delimiterOf(firstLine);
  const headers = firstLine.split(delimiter).map((c) => normalizeColumn(c.replace(/^"|"$/g, '')));
  return { text, firstLine, delimiter, headers };
}

export interface ListCsvGrammar<R> {
  /** Header names of the column a row addresses (email, phone). */
  keyHeaders: ReadonlySet<string>;
  nameHeaders: ReadonlySet<string>;
  /** Column names a template fills itself, refused as variables. */
  reservedColumns?: readonly string[];
  maxColumns: number;
  maxValue: number;
  maxName: number;
  maxRows: number;
  listError(es: string, en: string): HubError;
  tooMany(): HubError;
  /** One data row: its spreadsheet row number (header = 1), the key cell as written, name, variables. */
  row(rowNumber: number, rawKey: string, name: string | null, variables: Record<string, string>): R;
}

export function parseListCsv<R>(text: string, delimiter: string, grammar: ListCsvGrammar<R>): { format: 'csv'; columns: string[]; rows: R[] } {
  const { keyHeaders, nameHeaders, listError } = grammar;
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw listError(`el CSV está mal formado: ${reason}`, `malformed CSV: ${reason}`);
  }
  const [header = [], ...data] = records;
  if (data.length > grammar.maxRows) throw grammar.tooMany();
  const names = header.map(normalizeColumn);
  const keyIndex = names.findIndex((n) => keyHeaders.has(n));
  const nameIndex = names.findIndex((n) => nameHeaders.has(n));
  const variableIndexes: number[] = [];
  names.forEach((n, i) => {
    if (i === keyIndex || i === nameIndex || n === '') return;
    if (keyHeaders.has(n) || nameHeaders.has(n)) throw listError(`la columna «${header[i]}» está repetida`, `column "${header[i]}" appears twice`);
    if (grammar.reservedColumns?.includes(n)) throw listError(`«${header[i]}» es un nombre reservado de la plantilla; renombre la columna`, `"${header[i]}" is a reserved template name; rename the column`);
    if (names.indexOf(n) !== i) throw listError(`la columna «${header[i]}» está repetida`, `column "${header[i]}" appears twice`);
    variableIndexes.push(i);
  });
  if (variableIndexes.length > grammar.maxColumns) throw listError(`la lista admite hasta ${grammar.maxColumns} columnas de variables`, `the list may have at most ${grammar.maxColumns} variable columns`);
  const columns = variableIndexes.map((i) => names[i] ?? '');
  const rows = data.map((cells, index) => {
    const variables: Record<string, string> = {};
    for (const i of variableIndexes) variables[names[i] ?? ''] = (cells[i] ?? '').slice(0, grammar.maxValue);
    const name = nameIndex >= 0 ? (cells[nameIndex] ?? '').slice(0, grammar.maxName) : '';
    return grammar.row(index + 2, cells[keyIndex] ?? '', name === '' ? null : name, variables);
  });
  return { format: 'csv', columns, rows };
}
