/**
 * The NSS or CURP a citizen types, checked as they type (the hub decides; these are the same
 * patterns as hub/src/appointments/booking/booking.schema.ts, repeated so the page does not bundle
 * the hub). Digits only → an NSS (11 digits); letters → a CURP (18 characters).
 */
export const NSS_PATTERN = /^[0-9]{11}$/;
export const CURP_PATTERN = /^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]$/;

export type OfficialIdKind = 'nss' | 'curp';

export type OfficialIdCheck =
  | { state: 'empty' }
  | { state: 'typing'; kind: OfficialIdKind; length: number; expected: number }
  | { state: 'invalid'; kind: OfficialIdKind | null }
  | { state: 'valid'; kind: OfficialIdKind; value: string };

/** Upper case, no spaces or dashes: what people paste from a card or a PDF. */
export function normalizeOfficialId(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

export function checkOfficialId(raw: string): OfficialIdCheck {
  const value = normalizeOfficialId(raw);
  if (value === '') return { state: 'empty' };
  if (/^[0-9]+$/.test(value)) {
    if (value.length < 11) return { state: 'typing', kind: 'nss', length: value.length, expected: 11 };
    return NSS_PATTERN.test(value) ? { state: 'valid', kind: 'nss', value } : { state: 'invalid', kind: 'nss' };
  }
  if (!/^[A-Z0-9]+$/.test(value)) return { state: 'invalid', kind: null };
  // A CURP's prefix must already look like one: four letters, then the birth date digits.
  const prefixOk = /^[A-Z]{0,4}$/.test(value.slice(0, 4)) && /^[0-9]{0,6}$/.test(value.slice(4, 10));
  if (!prefixOk) return { state: 'invalid', kind: 'curp' };
  if (value.length < 18) return { state: 'typing', kind: 'curp', length: value.length, expected: 18 };
  return CURP_PATTERN.test(value) ? { state: 'valid', kind: 'curp', value } : { state: 'invalid', kind: 'curp' };
}
