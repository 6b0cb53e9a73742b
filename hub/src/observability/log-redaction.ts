import { maskOfficialId } from '../contacts/official-id-mask.js';
import { nssCheckDigit } from '../contacts/official-ids.js';

/**
 * What must never reach a log line (issue 12): secrets, whatever object carries them, and full
 * official ids (CURP, RFC, NSS), whatever field, message, URL or error text carries them. Ids are
 * masked the way agents see them (official-id-mask.ts): enough to tell two cases apart, not
 * enough to impersonate the citizen.
 */
export const REDACTED = '[redactado]';

/**
 * Field names whose value is a credential: headers (authorization, cookie, x-*-signature),
 * tokens of every kind, passwords (smtpPassword, imapPassword), webhook secrets, API keys,
 * TOTP codes. Matched against any key at any depth, so a new `fooToken` is covered unnamed.
 */
const SECRET_KEY = /pass(?:word|wd|phrase)?$|secret|token|authorization|cookie|signature|api[-_]?key|totp|^otp$|private[-_]?key|credential/i;

// Not surrounded by letters or digits (\b would treat Ñ and & as word breaks inside an RFC).
const CURP = /(?<![A-Za-z0-9])[A-Za-z][AEIOUXaeioux][A-Za-z]{2}\d{6}[HMXhmx][A-Za-z]{5}[0-9A-Za-z]\d(?![A-Za-z0-9])/g;
const RFC = /(?<![A-Za-z0-9Ññ&])[A-Za-zÑñ&]{3,4}\d{6}[A-Za-z0-9]{2}[0-9Aa](?![A-Za-z0-9])/g;
// Eleven digits whose last is the IMSS check digit: one eleven-digit number in ten passes by
// chance, which a log line can afford to lose.
const NSS = /(?<!\d)\d{11}(?!\d)/g;

function maskNss(value: string): string {
  return nssCheckDigit(value.slice(0, 10)) === value.charAt(10) ? (maskOfficialId('nss', value) ?? value) : value;
}

/** The text with every CURP-, RFC- or NSS-shaped run masked. */
export function maskOfficialIdsInText(text: string): string {
  if (text.length < 11) return text;
  return text
    .replace(CURP, (m) => maskOfficialId('curp', m.toUpperCase()) ?? m)
    .replace(RFC, (m) => maskOfficialId('rfc', m.toUpperCase()) ?? m)
    .replace(NSS, maskNss);
}

/**
 * For the serialised JSON line (pino's streamWrite hook), the last net under the structured
 * passes: CURP and RFC hold letters, so they can only sit inside a JSON string and masking them
 * keeps the line valid; eleven digits right after `:`, `,` or `[` are a JSON number, left alone
 * (the structured pass already turned a Luhn-valid one into a masked string).
 */
export function maskOfficialIdsInJsonLine(line: string): string {
  return line
    .replace(CURP, (m) => maskOfficialId('curp', m.toUpperCase()) ?? m)
    .replace(RFC, (m) => maskOfficialId('rfc', m.toUpperCase()) ?? m)
    .replace(NSS, (m, offset: number, whole: string) => (/[:,[]/.test(whole.charAt(offset - 1)) ? m : maskNss(m)));
}

const MAX_DEPTH = 6;
const MAX_ITEMS = 200;

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of a log object with secrets censored by key and official ids masked in every string,
 * walking plain objects and arrays only (a request, a socket or a class instance is left to its
 * serializer) and no deeper than MAX_DEPTH levels nor further than MAX_ITEMS entries, so a
 * careless `log.info({ huge })` costs a bounded amount.
 */
export function redactLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskOfficialIdsInText(value);
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1e10 && value < 1e11 ? numberNss(value) : value;
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    return value.length > MAX_ITEMS ? [...value.slice(0, MAX_ITEMS).map((v) => redactLogValue(v, depth + 1)), ...value.slice(MAX_ITEMS)] : value.map((v) => redactLogValue(v, depth + 1));
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  let seen = 0;
  for (const [key, item] of Object.entries(value)) {
    seen += 1;
    if (seen > MAX_ITEMS) out[key] = item;
    else if (SECRET_KEY.test(key) && item !== null && item !== undefined && typeof item !== 'boolean') out[key] = REDACTED;
    else out[key] = redactLogValue(item, depth + 1);
  }
  return out;
}

/** redactLogValue for the object pino merges into a line (formatters.log). */
export function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) {
    out[key] = SECRET_KEY.test(key) && item !== null && item !== undefined && typeof item !== 'boolean' ? REDACTED : redactLogValue(item, 1);
  }
  return out;
}

function numberNss(value: number): number | string {
  const text = String(value);
  const masked = maskNss(text);
  return masked === text ? value : masked;
}

/** Query parameters that carry a credential in a URL (file links, webhook verification). */
const SECRET_PARAM = /token|signature|sig$|secret|pass(?:word)?$|api[-_]?key|^key$|^code$|verify/i;

/**
 * A request URL fit for a log: credentials in the query replaced (`?token=` file links,
 * `hub.verify_token`), official ids masked in the path and the query (a portal lookup by CURP).
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = maskOfficialIdsInText(at === -1 ? url : url.slice(0, at));
  if (at === -1) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return maskOfficialIdsInText(pair);
      const name = pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed escape: judge the raw name.
      }
      return SECRET_PARAM.test(decoded) ? `${name}=${REDACTED}` : `${maskOfficialIdsInText(name)}=${maskOfficialIdsInText(pair.slice(eq + 1))}`;
    })
    .join('&');
  return `${path}?${query}`;
}
