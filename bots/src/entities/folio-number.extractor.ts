import { allMatches, entityMatch, type EntityMatch } from './entity-match.js';

/** Our folios (`DH-20261125-000123`): prefix of 2–6 letters, the day, a 6-digit sequence. */
const FOLIO = /(?<![\p{L}\p{N}])([A-Za-z]{2,6})-(\d{8})-(\d{6})(?![\p{L}\p{N}])/gu;

export function extractFolio(text: string): EntityMatch[] {
  return allMatches(FOLIO, text).map((m) => entityMatch('folio', m[0], m.index, m[0].toUpperCase()));
}

/**
 * A standalone integer — menu answers ("1", "opción 2"). Not a piece of a date, a decimal or a
 * code: "15/03", "2.5" and "A12" are no numbers here.
 */
const NUMBER = /(?<![\p{L}\p{N}/.,:-])\d{1,9}(?![\p{L}\p{N}]|[/.,:-]\d)/gu;

export function extractNumber(text: string): EntityMatch[] {
  return allMatches(NUMBER, text).map((m) => entityMatch('number', m[0], m.index, String(Number(m[0]))));
}
