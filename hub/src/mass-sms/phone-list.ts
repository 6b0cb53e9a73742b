import { parseListCsv, readListHead } from '../bulk-send/list-file.js';
import { normalizePhone } from '../contacts/identity-normalize.js';
import { HubError } from '../errors/error-registry.js';
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
  const { text, firstLine, delimiter, headers } = readListHead(input, () => listError('la lista está vacía', 'the list is empty'));
  if (headers.some((h) => PHONE_HEADERS.has(h))) return parseCsv(text, delimiter, maxRows);
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
  return parseListCsv(text, delimiter, {
    keyHeaders: PHONE_HEADERS,
    nameHeaders: NAME_HEADERS,
    maxColumns: MAX_COLUMNS,
    maxValue: MAX_VALUE,
    maxName: 200,
    maxRows,
    listError,
    tooMany: () => tooMany(maxRows),
    row: phoneRow,
  });
}
