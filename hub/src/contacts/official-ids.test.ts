import { describe, expect, it } from 'vitest';
import { validateCurp, validateNss, validateRfc } from './official-ids.js';

// Independent formulations of the published algorithms, so a slip in official-ids.ts shows up
// as a mismatch rather than being copied into the expectations.
function renapoValue(ch: string): number {
  if (/\d/.test(ch)) return Number(ch);
  if (ch === 'Ñ') return 24;
  const code = ch.charCodeAt(0) - 65; // A = 0
  return code <= 13 ? 10 + code : 11 + code; // A..N = 10..23, O..Z = 25..36
}
function withCurpDigit(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + renapoValue(ch) * (18 - i), 0);
  return first17 + ((10 - (sum % 10)) % 10);
}

function satValue(ch: string): number {
  if (ch === ' ') return 37;
  if (ch === 'Ñ') return 38;
  if (ch === '&') return 24;
  return renapoValue(ch); // same layout as RENAPO's for 0-9 and A-Z (& takes Ñ's slot)
}
function withRfcDigit(body: string): string {
  const padded = body.length === 11 ? ` ${body}` : body;
  const sum = [...padded].reduce((acc, ch, i) => acc + satValue(ch) * (13 - i), 0);
  const digit = 11 - (sum % 11);
  return body + (digit === 11 ? '0' : digit === 10 ? 'A' : String(digit));
}

/** Classic Luhn over the whole 11-digit number: valid when the total is a multiple of 10. */
function luhnValid(digits: string): boolean {
  const total = [...digits].reverse().reduce((acc, ch, i) => {
    const d = Number(ch) * (i % 2 === 1 ? 2 : 1);
    return acc + (d > 9 ? d - 9 : d);
  }, 0);
  return total % 10 === 0;
}
function withNssDigit(first10: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(first10 + d)) return first10 + d;
  throw new Error('unreachable');
}

describe('validateCurp', () => {
  it('accepts published and computed CURPs, normalised to upper case', () => {
    // The sample on the Spanish Wikipedia CURP article.
    expect(validateCurp('HEGG560427MVZRRL04')).toEqual({ ok: true, value: 'HEGG560427MVZRRL04' });
    const born2003 = withCurpDigit('LOPM040229HNELRRA'); // leap day, born abroad, post-2000 letter differentiator
    expect(validateCurp(born2003.toLowerCase())).toEqual({ ok: true, value: born2003 });
    const withSpaces = withCurpDigit('GAXR850715MDFRXS0');
    expect(validateCurp(` ${withSpaces.slice(0, 10)} ${withSpaces.slice(10)} `)).toEqual({ ok: true, value: withSpaces });
  });

  it('rejects a wrong check digit with a bilingual reason', () => {
    const valid = withCurpDigit('HEGG560427MVZRRL0');
    const wrong = valid.slice(0, 17) + ((Number(valid.slice(17)) + 1) % 10);
    const result = validateCurp(wrong);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe('El dígito verificador de la CURP no corresponde / CURP check digit does not match');
  });

  it('rejects impossible dates, using the differentiator to pick the century', () => {
    expect(validateCurp(withCurpDigit('HEGG560231MVZRRL0'))).toMatchObject({ ok: false, reason: expect.stringContaining('fecha') });
    // 29 Feb 1900 does not exist (digit differentiator → 1900s); 29 Feb 2000 does.
    expect(validateCurp(withCurpDigit('HEGG000229MVZRRL0')).ok).toBe(false);
    expect(validateCurp(withCurpDigit('HEGG000229MVZRRLA')).ok).toBe(true);
    expect(validateCurp(withCurpDigit('HEGG561327MVZRRL0')).ok).toBe(false);
  });

  it('rejects bad length, unknown states and broken structure', () => {
    expect(validateCurp('HEGG560427MVZRRL0')).toMatchObject({ ok: false, reason: expect.stringContaining('18 caracteres') });
    expect(validateCurp(withCurpDigit('HEGG560427MXXRRL0'))).toMatchObject({ ok: false, reason: expect.stringContaining('entidad') });
    expect(validateCurp(withCurpDigit('HEGG560427MVZAEL0'))).toMatchObject({ ok: false, reason: expect.stringContaining('estructura') });
    expect(validateCurp('')).toMatchObject({ ok: false });
  });
});

describe('validateRfc', () => {
  it('accepts published RFCs of individuals and companies', () => {
    expect(validateRfc('GODE561231GR8')).toEqual({ ok: true, value: 'GODE561231GR8' }); // SAT's textbook example
    expect(validateRfc('sat970701nn3')).toEqual({ ok: true, value: 'SAT970701NN3' }); // SAT's own RFC
    expect(validateRfc('IMS421231I45')).toEqual({ ok: true, value: 'IMS421231I45' }); // IMSS
  });

  it('accepts computed ones, including & and Ñ', () => {
    const withAmpersand = withRfcDigit('A&C0102035K');
    expect(validateRfc(withAmpersand)).toEqual({ ok: true, value: withAmpersand });
    const withEnye = withRfcDigit('MUÑO800229H3');
    expect(validateRfc(withEnye.toLowerCase())).toEqual({ ok: true, value: withEnye });
  });

  it.each(['A', '0'])('handles the edge check digit %s (11 - remainder of 10 and of 11)', (digit) => {
    const candidates = ['AAAA', 'BBBB', 'CCCC', 'DDDD', 'EEEE', 'FFFF', 'GGGG', 'HHHH', 'JJJJ', 'KKKK', 'LLLL', 'MMM', 'NNN', 'PPP']
      .flatMap((p) => ['1A', '2B', '3C', '4D', '5E', '6F', '7G'].map((h) => withRfcDigit(`${p}800101${h}`)))
      .filter((rfc) => rfc.endsWith(digit));
    expect(candidates.length).toBeGreaterThan(1);
    for (const rfc of candidates) expect(validateRfc(rfc), rfc).toEqual({ ok: true, value: rfc });
  });

  it('accepts the generic RFCs even though their last digit is not a check digit', () => {
    expect(validateRfc('XAXX010101000')).toEqual({ ok: true, value: 'XAXX010101000' });
    expect(validateRfc('xexx010101000')).toEqual({ ok: true, value: 'XEXX010101000' });
  });

  it('rejects wrong check digits, bad dates and bad lengths', () => {
    expect(validateRfc('GODE561231GR9')).toMatchObject({ ok: false, reason: expect.stringContaining('dígito verificador') });
    expect(validateRfc(withRfcDigit('GODE561331GR'))).toMatchObject({ ok: false, reason: expect.stringContaining('fecha') });
    expect(validateRfc(withRfcDigit('GODE010229GR'))).toMatchObject({ ok: false }); // 2001 and 1901 are not leap years
    expect(validateRfc('GODE561231G')).toMatchObject({ ok: false, reason: expect.stringContaining('12 (persona moral) o 13') });
    expect(validateRfc('1ODE561231GR8')).toMatchObject({ ok: false, reason: expect.stringContaining('estructura') });
  });
});

describe('validateNss', () => {
  it('accepts NSS whose eleventh digit is the Luhn digit of the first ten', () => {
    const nss = withNssDigit('0198760523');
    expect(validateNss(nss)).toEqual({ ok: true, value: nss });
    const other = withNssDigit('4315829014');
    expect(validateNss(`${other.slice(0, 4)} ${other.slice(4, 10)} ${other.slice(10)}`)).toEqual({ ok: true, value: other });
  });

  it('rejects wrong check digits, wrong lengths and non-digits', () => {
    const nss = withNssDigit('0198760523');
    const wrong = nss.slice(0, 10) + ((Number(nss.slice(10)) + 5) % 10);
    expect(validateNss(wrong)).toMatchObject({ ok: false, reason: expect.stringContaining('NSS check digit does not match') });
    expect(validateNss(nss.slice(0, 10))).toMatchObject({ ok: false, reason: expect.stringContaining('11 dígitos') });
    expect(validateNss(`${nss.slice(0, 10)}X`)).toMatchObject({ ok: false, reason: expect.stringContaining('solo admite dígitos') });
  });
});
