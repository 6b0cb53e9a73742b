import { parse } from 'csv-parse/sync';
import { HubError } from '../errors/error-registry.js';
import { bilingual } from '../router/config/routing-problem.js';
import { RESERVED_COLUMNS } from './mail-template.js';

/**
 * A recipient list as an administrator exports it (seed §1.4 "list upload"): a CSV whose header
 * names an `email` column (`name` optional; every other column becomes a template variable), or
 * a plain TXT with one address per line (`Nombre <correo>` also read). Pure: the upload use case
 * stores the result.
 */
export interface ListRow {
  /** Row number in the file as a spreadsheet shows it (the header is row 1). */
  row: number;
  /** Lower-cased when valid; as written (trimmed) when not. */
  email: string;
  name: string | null;
  variables: Record<string, string>;
  /** Why the address cannot be used, Spanish / English; null when it can. */
  problem: string | null;
}

export interface RecipientList {
  format: 'csv' | 'txt';
  /** Variable names the list brings (normalised column names). */
  columns: string[];
  rows: ListRow[];
}

const EMAIL_HEADERS = new Set(['email', 'e_mail', 'correo', 'correo_electronico', 'mail']);
const NAME_HEADERS = new Set(['name', 'nombre', 'nombre_completo']);
const MAX_COLUMNS = 50;
const MAX_VALUE = 1000;
const MAX_NAME = 200;

// Practical address syntax (what SMTP servers accept from a mailing list): dot-atom local part,
// a domain of labels with a top-level label of letters; quoted local parts are not supported.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isValidAddress(address: string): boolean {
  if (address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at > 64) return false;
  const labels = address.slice(at + 1).split('.');
  const tld = labels[labels.length - 1] ?? '';
  return LOCAL.test(address.slice(0, at)) && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /^[A-Za-z]{2,63}$/.test(tld);
}

/** `Correo Electrónico` → `correo_electronico`: the name a template writes as `{{…}}`. */
export function normalizeColumn(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function listError(es: string, en: string): HubError {
  return new HubError('HUB_ERR_MASS_MAIL_LIST_INVALID', bilingual(es, en));
}

function row(rowNumber: number, rawEmail: string, name: string | null, variables: Record<string, string>): ListRow {
  const trimmed = rawEmail.trim();
  const email = trimmed.toLowerCase();
  if (trimmed === '') return { row: rowNumber, email: '', name, variables, problem: bilingual(`fila ${rowNumber}: correo vacío`, `row ${rowNumber}: empty address`) };
  if (!isValidAddress(trimmed)) return { row: rowNumber, email: trimmed.slice(0, 254), name, variables, problem: bilingual(`fila ${rowNumber}: sintaxis de correo inválida`, `row ${rowNumber}: invalid address syntax`) };
  return { row: rowNumber, email, name, variables, problem: null };
}

function delimiterOf(headerLine: string): string {
  const counts = [',', ';', '\t'].map((d) => ({ d, n: headerLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0] && counts[0].n > 0 ? counts[0].d : ',';
}

export function parseRecipientList(input: string, maxRows: number): RecipientList {
  const text = input.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  if (firstLine === '') throw listError('la lista está vacía', 'the list is empty');
  const delimiter = delimiterOf(firstLine);
  const headerCells = firstLine.split(delimiter).map((c) => normalizeColumn(c.replace(/^"|"$/g, '')));
  if (headerCells.some((c) => EMAIL_HEADERS.has(c))) return parseCsv(text, delimiter, maxRows);
  if (/[,;\t]/.test(firstLine.replace(/<[^>]*>/, ''))) {
    throw listError(
      'la primera fila de un CSV debe ser el encabezado con una columna «email» (y opcionalmente «name» y otras variables); un TXT lleva un correo por línea',
      'the first row of a CSV must be a header naming an "email" column (optionally "name" and other variables); a TXT has one address per line',
    );
  }
  return parseTxt(text, maxRows);
}

function parseTxt(text: string, maxRows: number): RecipientList {
  const rows: ListRow[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const named = /^(.*)<([^<>]*)>$/.exec(trimmed);
    const name = named?.[1]?.trim().replace(/^"|"$/g, '').trim() ?? '';
    rows.push(row(index + 1, named ? (named[2] ?? '') : trimmed, name === '' ? null : name.slice(0, MAX_NAME), {}));
    if (rows.length > maxRows) throw tooMany(maxRows);
  });
  return { format: 'txt', columns: [], rows };
}

function tooMany(maxRows: number): HubError {
  return listError(`la lista excede ${maxRows.toLocaleString('es-MX')} destinatarios`, `the list exceeds ${maxRows.toLocaleString('en-US')} recipients`);
}

function parseCsv(text: string, delimiter: string, maxRows: number): RecipientList {
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw listError(`el CSV está mal formado: ${reason}`, `malformed CSV: ${reason}`);
  }
  const [header = [], ...data] = records;
  if (data.length > maxRows) throw tooMany(maxRows);
  const names = header.map(normalizeColumn);
  const emailIndex = names.findIndex((n) => EMAIL_HEADERS.has(n));
  const nameIndex = names.findIndex((n) => NAME_HEADERS.has(n));
  const variableIndexes: number[] = [];
  names.forEach((n, i) => {
    if (i === emailIndex || i === nameIndex || n === '') return;
    if (EMAIL_HEADERS.has(n) || NAME_HEADERS.has(n)) throw listError(`la columna «${header[i]}» está repetida`, `column "${header[i]}" appears twice`);
    if (RESERVED_COLUMNS.includes(n)) throw listError(`«${header[i]}» es un nombre reservado de la plantilla; renombre la columna`, `"${header[i]}" is a reserved template name; rename the column`);
    if (names.indexOf(n) !== i) throw listError(`la columna «${header[i]}» está repetida`, `column "${header[i]}" appears twice`);
    variableIndexes.push(i);
  });
  if (variableIndexes.length > MAX_COLUMNS) throw listError(`la lista admite hasta ${MAX_COLUMNS} columnas de variables`, `the list may have at most ${MAX_COLUMNS} variable columns`);
  const columns = variableIndexes.map((i) => names[i] ?? '');
  const rows = data.map((cells, index) => {
    const variables: Record<string, string> = {};
    for (const i of variableIndexes) variables[names[i] ?? ''] = (cells[i] ?? '').slice(0, MAX_VALUE);
    const name = nameIndex >= 0 ? (cells[nameIndex] ?? '').slice(0, MAX_NAME) : '';
    return row(index + 2, cells[emailIndex] ?? '', name === '' ? null : name, variables);
  });
  return { format: 'csv', columns, rows };
}
