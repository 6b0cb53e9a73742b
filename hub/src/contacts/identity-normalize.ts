import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * E.164 with Mexico as the default region. Mexican mobiles written the legacy way
 * (+52 1 XXXXXXXXXX, still sent by some providers) normalise to the same number.
 */
export function normalizePhone(raw: string, defaultRegion: CountryCode = 'MX'): string | null {
  const trimmed = raw.trim();
  if (!/^[+()\d\s.-]{3,32}$/.test(trimmed)) return null;
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
