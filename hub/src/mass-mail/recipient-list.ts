import { parseListCsv, readListHead } from '../bulk-send/list-file.js';
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

export function parseRecipientList(input: string, maxRows: number): RecipientList {
  const { text, firstLine, delimiter, headers } = readListHead(input, () => listError('la lista está vacía', 'the list is empty'));
  if (headers.some((c) => EMAIL_HEADERS.has(c))) return parseCsv(text, delimiter, maxRows);
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
  return parseListCsv(text, delimiter, {
    keyHeaders: EMAIL_HEADERS,
    nameHeaders: NAME_HEADERS,
    reservedColumns: RESERVED_COLUMNS,
    maxColumns: MAX_COLUMNS,
    maxValue: MAX_VALUE,
    maxName: MAX_NAME,
    maxRows,
    listError,
    tooMany: () => tooMany(maxRows),
    row,
  });
}
