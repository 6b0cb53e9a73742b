import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

// Dialling prefixes abolished in Mexico in 2019 (044/045 mobile, 01 long distance) that citizens
// still type in front of the 10-digit national number.
const MX_LEGACY_PREFIX = /^(?:044|045|01)(\d{10})$/;

/**
 * E.164 with Mexico as the default region. Mexican mobiles written the legacy way
 * (+52 1 XXXXXXXXXX, still sent by some providers) normalise to the same number.
 */
export function normalizePhone(raw: string, defaultRegion: CountryCode = 'MX'): string | null {
  let trimmed = raw.trim();
  if (!/^[+()\d\s.-]{3,32}$/.test(trimmed)) return null;
  const legacy = defaultRegion === 'MX' ? MX_LEGACY_PREFIX.exec(trimmed.replace(/[()\s.-]/g, '')) : null;
  if (legacy?.[1]) trimmed = legacy[1];
  let phone = parsePhoneNumberFromString(trimmed, defaultRegion);
  if (phone?.countryCallingCode === '52' && /^1\d{10}$/.test(phone.nationalNumber)) {
    phone = parsePhoneNumberFromString(`+52${phone.nationalNumber.slice(1)}`);
  }
  if (!phone?.isValid()) return null;
  return phone.number;
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Lower-cased and trimmed; the local part is kept otherwise as given (no provider-specific folding). */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) return null;
  return email;
}
