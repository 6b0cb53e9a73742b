/**
 * Mexican official ids (CURP, RFC, NSS) checked with their published check-digit algorithms,
 * so a typo is caught at the desk instead of surfacing later in another agency's system.
 * Reasons are Spanish first, English second (they reach the agent unchanged).
 */
export type OfficialIdResult = { ok: true; value: string } | { ok: false; reason: string };

export type OfficialIdKind = 'curp' | 'rfc' | 'nss';

const fail = (es: string, en: string): OfficialIdResult => ({ ok: false, reason: `${es} / ${en}` });

/** Agents paste ids with spaces or dashes from scanned documents; those carry no meaning. */
function compact(raw: string): string {
  return raw.normalize('NFC').replace(/[\s-]+/g, '').toUpperCase();
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// RENAPO state codes; NE = born abroad (nacido en el extranjero).
const CURP_STATES = new Set([
  'AS', 'BC', 'BS', 'CC', 'CL', 'CM', 'CS', 'CH', 'DF', 'DG', 'GT', 'GR', 'HG', 'JC', 'MC', 'MN', 'MS', 'NT', 'NL', 'OC', 'PL',
  'QT', 'QR', 'SP', 'SL', 'SR', 'TC', 'TS', 'TL', 'VZ', 'YN', 'ZS', 'NE',
]);
const CURP_DICTIONARY = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';
// Letters, internal vowel, date, sex (X: non-binary CURPs issued since 2022), state, internal consonants, differentiator.
const CURP_SHAPE = /^[A-Z][AEIOUX][A-Z]{2}(\d{2})(\d{2})(\d{2})[HMX]([A-Z]{2})[B-DF-HJ-NP-TV-Z]{3}([0-9A-Z])(\d)$/;

export function curpCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CURP_DICTIONARY.indexOf(first17.charAt(i)) * (18 - i);
  return String((10 - (sum % 10)) % 10);
}

export function validateCurp(raw: string): OfficialIdResult {
  const curp = compact(raw);
  if (curp.length !== 18) return fail('La CURP debe tener 18 caracteres', 'CURP must be 18 characters long');
  const match = CURP_SHAPE.exec(curp);
  if (!match) return fail('La CURP no tiene la estructura oficial', 'CURP does not match the official structure');
  const [, yy, mm, dd, state, differentiator] = match;
  // The differentiator is a digit for people born up to 1999 and a letter from 2000 on.
  const century = /\d/.test(differentiator ?? '') ? 1900 : 2000;
  if (!isValidDate(century + Number(yy), Number(mm), Number(dd))) {
    return fail('La fecha de nacimiento de la CURP no es válida', 'CURP birth date is not a valid date');
  }
  if (!CURP_STATES.has(state ?? '')) return fail('La entidad federativa de la CURP no existe', 'CURP state code is unknown');
  if (curpCheckDigit(curp) !== curp.charAt(17)) {
    return fail('El dígito verificador de la CURP no corresponde', 'CURP check digit does not match');
  }
  return { ok: true, value: curp };
}

const RFC_TABLE = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ';
const RFC_SHAPE = /^([A-ZÑ&]{3,4})(\d{2})(\d{2})(\d{2})([A-Z0-9]{2})([0-9A])$/;
// Público en general / residentes en el extranjero: SAT-published placeholders without a valid digit.
const GENERIC_RFCS = new Set(['XAXX010101000', 'XEXX010101000']);

/** Expects the RFC without its check digit: 11 chars (moral) or 12 (física). */
export function rfcCheckDigit(withoutDigit: string): string {
  // Moral RFCs are padded with a leading space so both kinds weigh 13..2.
  const padded = withoutDigit.padStart(12, ' ');
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += RFC_TABLE.indexOf(padded.charAt(i)) * (13 - i);
  const remainder = sum % 11;
  if (remainder === 0) return '0';
  const digit = 11 - remainder;
  return digit === 10 ? 'A' : String(digit);
}

export function validateRfc(raw: string): OfficialIdResult {
  const rfc = compact(raw);
  if (GENERIC_RFCS.has(rfc)) return { ok: true, value: rfc };
  if (rfc.length !== 12 && rfc.length !== 13) {
    return fail('El RFC debe tener 12 (persona moral) o 13 (persona física) caracteres', 'RFC must be 12 (company) or 13 (individual) characters long');
  }
  const match = RFC_SHAPE.exec(rfc);
  if (!match) return fail('El RFC no tiene la estructura oficial', 'RFC does not match the official structure');
  const [, , yy, mm, dd] = match;
  // The century is not encoded; 2000 is a leap year, so any YY divisible by 4 admits 29 February.
  if (!isValidDate(2000 + Number(yy), Number(mm), Number(dd))) {
    return fail('La fecha del RFC no es válida', 'RFC date is not a valid date');
  }
  if (rfcCheckDigit(rfc.slice(0, -1)) !== rfc.slice(-1)) {
    return fail('El dígito verificador del RFC no corresponde', 'RFC check digit does not match');
  }
  return { ok: true, value: rfc };
}

/** IMSS: Luhn over the first ten digits (doubling positions 2, 4, …, 10) gives the eleventh. */
export function nssCheckDigit(first10: string): string {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const doubled = Number(first10.charAt(i)) * (i % 2 === 1 ? 2 : 1);
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return String((10 - (sum % 10)) % 10);
}

export function validateNss(raw: string): OfficialIdResult {
  const nss = compact(raw);
  if (!/^\d+$/.test(nss)) return fail('El NSS solo admite dígitos', 'NSS must contain digits only');
  if (nss.length !== 11) return fail('El NSS debe tener 11 dígitos', 'NSS must be 11 digits long');
  if (nssCheckDigit(nss) !== nss.charAt(10)) {
    return fail('El dígito verificador del NSS no corresponde', 'NSS check digit does not match');
  }
  return { ok: true, value: nss };
}

export const officialIdValidators = {
  curp: validateCurp,
  rfc: validateRfc,
  nss: validateNss,
} as const satisfies Record<OfficialIdKind, (raw: string) => OfficialIdResult>;
