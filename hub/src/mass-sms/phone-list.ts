import { parse } from 'csv-parse/sync';
import { normalizePhone } from '../contacts/identity-normalize.js';
import { HubError } from '../errors/error-registry.js';
import { normalizeColumn } from '../mass-mail/recipient-list.js';
import { bilingual } from '../router/config/routing-problem.js';

/**
 * A phone list as an administrator exports it: a CSV whose header names a `phone` column
 * (`telefono`, `celular`…; `name` optional; every other column becomes a `{{variable}}`), or a TXT
 * with one number per line. Numbers normalise to E.164 (Mexico by default); one that does not is
 * kept as written with its problem (status `invalid`, listed in the bad-number CSV). Pure.
 */
export interface PhoneRow {
  row: number;
  /** E.164 when valid; as written (trimmed) when not. */
  phone: string;
  name: string | null;
  variables: Record<string, string>;
  problem: string | null;
}

export interface PhoneList {
  format: 'csv' | 'txt';
  columns: string[];
  rows: PhoneRow[];
}

const PHONE_HEADERS = new Set(['phone', 'telefono', 'tel', 'celular', 'movil', 'numero', 'mobile', 'msisdn']);
const NAME_HEADERS = new Set(['name', 'nombre', 'nombre_completo']);
/** Filled by the hub from the row itself. */
export const SMS_BUILTIN_VARIABLES = ['name', 'phone'] as const;
const MAX_COLUMNS = 50;
const MAX_VALUE = 500;

function listError(es: string, en: string): HubError {
  return new HubError('HUB_ERR_MASS_SMS_LIST_INVALID', bilingual(es, en));
}

function phoneRow(row: number, raw: string, name: string | null, variables: Record<string, string>): PhoneRow {
  const written = raw.trim().slice(0, 40);
  if (written === '') return { row, phone: '', name, variables, problem: bilingual(`fila ${row}: número vacío`, `row ${row}: empty number`) };
  const phone = normalizePhone(written);
  return phone
    ? { row, phone, name, variables, problem: null }
    : { row, phone: written, name, variables, problem: bilingual(`fila ${row}: «${written}» no es un número telefónico válido`, `row ${row}: "${written}" is not a valid phone number`) };
}

export function parsePhoneList(input: string, maxRows: number): PhoneList {
  const text = input.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  if (firstLine === '') throw listError('la lista está vacía', 'the list is empty');
  const delimiter = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length - 1 })).sort((a, b) => b.n - a.n)[0];
  const headers = firstLine.split(delimiter && delimiter.n > 0 ? delimiter.d : ',').map((c) => normalizeColumn(c.replace(/^"|"$/g, '')));
  if (headers.some((h) => PHONE_HEADERS.has(h))) return parseCsv(text, delimiter && delimiter.n > 0 ? delimiter.d : ',', maxRows);
  if (/[,;\t]/.test(firstLine)) {
    throw listError(
      'la primera fila de un CSV debe ser el encabezado con una columna «phone» o «telefono» (y opcionalmente «name» y otras variables); un TXT lleva un número por línea',
      'the first row of a CSV must be a header naming a "phone" column (optionally "name" and other variables); a TXT has one number per line',
    );
  }
  const rows: PhoneRow[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    rows.push(phoneRow(index + 1, line, null, {}));
  });
  if (rows.length > maxRows) throw tooMany(maxRows);
  return { format: 'txt', columns: [], rows };
}

function tooMany(maxRows: number): HubError {
  return listError(`la lista excede ${maxRows.toLocaleString('es-MX')} números`, `the list exceeds ${maxRows.toLocaleString('en-US')} numbers`);
}

function parseCsv(text: string, delimiter: string, maxRows: number): PhoneList {
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
  const phoneIndex = names.findIndex((n) => PHONE_HEADERS.has(n));
  const nameIndex = names.findIndex((n) => NAME_HEADERS.has(n));
  const variableIndexes: number[] = [];
  names.forEach((n, i) => {
    if (i === phoneIndex || i === nameIndex || n === '') return;
    if (names.indexOf(n) !== i || PHONE_HEADERS.has(n) || NAME_HEADERS.has(n)) throw listError(`la columna «${header[i]}» está repetida`, `column "${header[i]}" appears twice`);
    variableIndexes.push(i);
  });
  if (variableIndexes.length > MAX_COLUMNS) throw listError(`la lista admite hasta ${MAX_COLUMNS} columnas de variables`, `the list may have at most ${MAX_COLUMNS} variable columns`);
  const rows = data.map((cells, index) => {
    const variables: Record<string, string> = {};
    for (const i of variableIndexes) variables[names[i] ?? ''] = (cells[i] ?? '').slice(0, MAX_VALUE);
    const name = nameIndex >= 0 ? (cells[nameIndex] ?? '').slice(0, 200) : '';
    return phoneRow(index + 2, cells[phoneIndex] ?? '', name === '' ? null : name, variables);
  });
  return { format: 'csv', columns: variableIndexes.map((i) => names[i] ?? ''), rows };
}
