import type { NluEntity, OfficialIdChecks } from '../engine.contract.js';
import type { BotModel } from '../model.schema.js';
import { extractEmail, extractPhone } from './contact.extractor.js';
import { DEFAULT_TIME_ZONE, extractDate } from './date.extractor.js';
import { keepNonOverlapping, toEntity, type EntityMatch } from './entity-match.js';
import { extractEnum } from './enum.extractor.js';
import { extractFolio, extractNumber } from './folio-number.extractor.js';
import { parseFreeText, parseName } from './free-text.js';
import { extractCurp, extractNss, extractRfc } from './official-ids.extractor.js';

export { extractEmail, extractPhone } from './contact.extractor.js';
export { DEFAULT_TIME_ZONE, extractDate, isoDate } from './date.extractor.js';
export type { EntityMatch } from './entity-match.js';
export { extractEnum } from './enum.extractor.js';
export { extractFolio, extractNumber } from './folio-number.extractor.js';
export { MAX_FREE_TEXT_CHARS, parseFreeText, parseName } from './free-text.js';
export { extractCurp, extractNss, extractRfc } from './official-ids.extractor.js';

export interface EntityClock {
  now?: Date;
  timeZone?: string;
}

/**
 * Every built-in and custom entity in `text`, in reading order. Where two kinds claim the same
 * characters the more specific wins (folio, e-mail, CURP, RFC, date, NSS, phone, then a bare
 * number), so "15/03/1985" is one date and "1234-56-7890-1" one NSS.
 */
export function extractEntities(text: string, model: BotModel, checks: OfficialIdChecks, clock: EntityClock = {}): NluEntity[] {
  return builtinMatches(text, checks, clock)
    .concat(extractEnum(text, model.entities))
    .sort((a, b) => a.start - b.start)
    .map(toEntity);
}

function builtinMatches(text: string, checks: OfficialIdChecks, clock: EntityClock): EntityMatch[] {
  // Most messages carry no digit: then only an e-mail or "hoy", "mañana"… can be an entity
  // (every id, phone, folio, number and written date has digits); the rest need not run.
  if (!/\d/.test(text)) return keepNonOverlapping([...extractEmail(text), ...extractDate(text, clock.now, clock.timeZone ?? DEFAULT_TIME_ZONE)]);
  const curps = extractCurp(text, checks);
  return keepNonOverlapping([
    ...extractFolio(text),
    ...extractEmail(text),
    ...curps,
    ...extractRfc(text, checks, curps),
    ...extractDate(text, clock.now, clock.timeZone ?? DEFAULT_TIME_ZONE),
    ...extractNss(text, checks),
    ...extractPhone(text),
    ...extractNumber(text),
  ]);
}

/**
 * The best entity of `kind` in an answer to a `collect` step, or null: the citizen answers one
 * question, so only that kind is looked for, without the other kinds competing for the same
 * characters. Best = the first valid one, else the first (an NSS with a wrong
 * check digit comes back `valid: false`, so the bot can say so). `name` and `text` take the
 * whole answer; a custom entity's name looks for its values.
 */
export function parseEntityValue(kind: string, text: string, model: BotModel, checks: OfficialIdChecks, now?: Date): NluEntity | null {
  if (kind === 'name') return parseName(text);
  if (kind === 'text') return parseFreeText(text);
  const found = matchesOfKind(kind, text, model, checks, now);
  const best = found.find((m) => m.valid) ?? found[0];
  return best ? toEntity(best) : null;
}

function matchesOfKind(kind: string, text: string, model: BotModel, checks: OfficialIdChecks, now: Date | undefined): EntityMatch[] {
  switch (kind) {
    case 'folio':
      return extractFolio(text);
    case 'nss':
      return extractNss(text, checks);
    case 'curp':
      return extractCurp(text, checks);
    case 'rfc':
      return extractRfc(text, checks, extractCurp(text, checks));
    case 'date':
      return extractDate(text, now);
    case 'phone':
      return extractPhone(text);
    case 'email':
      return extractEmail(text);
    case 'number':
      return extractNumberAnswer(text, now);
    default:
      return extractEnum(text, model.entities.filter((e) => e.name === kind));
  }
}

/** A number answer: a bare integer that is not the day of a date ("el 15 de marzo" answers no menu). */
function extractNumberAnswer(text: string, now: Date | undefined): EntityMatch[] {
  const dates = extractDate(text, now);
  return extractNumber(text).filter((n) => !dates.some((d) => n.start < d.end && d.start < n.end));
}
