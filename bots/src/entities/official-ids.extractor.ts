import type { OfficialIdChecks } from '../engine.contract.js';
import { digitGroups } from './digit-groups.js';
import { allMatches, entityMatch, type EntityMatch } from './entity-match.js';

/**
 * CURP, RFC and NSS: recognised by shape, judged by the hub's check-digit rules (`checks`), so an
 * id with a typo is still found and reported `valid: false` — the bot can say which one is wrong.
 */

// Loose shapes on purpose: the checks decide validity; these only say "this looks like one".
const CURP = /(?<![\p{L}\p{N}])[A-ZÑ]{4}\d{6}[A-Z]{6}[0-9A-Z]\d(?![\p{L}\p{N}])/giu;
const RFC = /(?<![\p{L}\p{N}&])[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{2}[0-9A](?![\p{L}\p{N}])/giu;

export function extractCurp(text: string, checks: OfficialIdChecks): EntityMatch[] {
  return allMatches(CURP, text).map((m) => {
    const result = checks.curp(m[0]);
    return entityMatch('curp', m[0], m.index, result.valid ? result.normalized : m[0].toUpperCase(), result.valid);
  });
}

/** `curps`: CURPs already found; an RFC inside one of them is the CURP's own prefix, not an RFC. */
export function extractRfc(text: string, checks: OfficialIdChecks, curps: EntityMatch[] = []): EntityMatch[] {
  return allMatches(RFC, text)
    .filter((m) => !curps.some((c) => m.index < c.end && c.start < m.index + m[0].length))
    .map((m) => {
      const result = checks.rfc(m[0]);
      return entityMatch('rfc', m[0], m.index, result.valid ? result.normalized : m[0].toUpperCase(), result.valid);
    });
}

/** 11 digits, with or without spaces/dashes ("1234-56-7890-1"); `value` is the 11 digits. */
export function extractNss(text: string, checks: OfficialIdChecks): EntityMatch[] {
  return digitGroups(text)
    .filter((g) => !g.plus && g.digits.length === 11 && !/[()]/.test(g.text))
    .map((g) => {
      const result = checks.nss(g.digits);
      return entityMatch('nss', g.text, g.start, g.digits, result.valid);
    });
}
