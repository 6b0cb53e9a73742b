import { describe, expect, it } from 'vitest';
import { checkOfficialId, normalizeOfficialId } from './official-id.js';

describe('checkOfficialId (the portal checks the NSS or CURP as the citizen types)', () => {
  it('takes 11 digits as an NSS, ignoring spaces and dashes', () => {
    expect(checkOfficialId('1234-5678 901')).toEqual({ state: 'valid', kind: 'nss', value: '12345678901' });
  });

  it('counts the digits of an NSS still being typed', () => {
    expect(checkOfficialId('12345')).toEqual({ state: 'typing', kind: 'nss', length: 5, expected: 11 });
  });

  it('refuses an NSS of 12 digits', () => {
    expect(checkOfficialId('123456789012')).toEqual({ state: 'invalid', kind: 'nss' });
  });

  it('takes a CURP in lower case and upper-cases it', () => {
    expect(checkOfficialId('gora850312mdfnrs09')).toEqual({ state: 'valid', kind: 'curp', value: 'GORA850312MDFNRS09' });
  });

  it('counts a CURP being typed, and flags one whose date part has letters at once', () => {
    expect(checkOfficialId('GORA85')).toEqual({ state: 'typing', kind: 'curp', length: 6, expected: 18 });
    expect(checkOfficialId('GORA8X')).toEqual({ state: 'invalid', kind: 'curp' });
  });

  it('refuses a CURP with a wrong sex letter, and symbols', () => {
    expect(checkOfficialId('GORA850312ZDFNRS09')).toEqual({ state: 'invalid', kind: 'curp' });
    expect(checkOfficialId('GORA@850312')).toEqual({ state: 'invalid', kind: null });
  });

  it('says empty for blanks', () => {
    expect(checkOfficialId('  ')).toEqual({ state: 'empty' });
    expect(normalizeOfficialId(' ab-c ')).toBe('ABC');
  });
});
