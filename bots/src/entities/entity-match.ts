import type { NluEntity } from '../engine.contract.js';

/** An entity found in a text, with where it was found (to settle overlaps between extractors). */
export interface EntityMatch extends NluEntity {
  start: number;
  end: number;
}

export function entityMatch(type: string, text: string, start: number, value: string, valid = true): EntityMatch {
  return { type, text, value, valid, start, end: start + text.length };
}

/** Drops the position: what the NLU reports. */
export function toEntity(match: EntityMatch): NluEntity {
  return { type: match.type, text: match.text, value: match.value, valid: match.valid };
}

/**
 * Keeps the matches that do not overlap one kept earlier; `matches` come in priority order (a
 * folio before a number, a CURP before an RFC), so "15/03/1985" stays a date and not three numbers.
 */
export function keepNonOverlapping(matches: EntityMatch[]): EntityMatch[] {
  // A mask of taken characters: linear in the text, where comparing pairs of matches was
  // quadratic ("1 1 1 …" up to the 1000-character limit is 500 numbers).
  const taken = new Uint8Array(matches.reduce((max, m) => Math.max(max, m.end), 0));
  const kept: EntityMatch[] = [];
  for (const m of matches) {
    if (taken.subarray(m.start, m.end).includes(1)) continue;
    taken.fill(1, m.start, m.end);
    kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Every match of a global regex with its index (the regex must carry the `g` flag). */
export function allMatches(regex: RegExp, text: string): RegExpExecArray[] {
  return [...text.matchAll(regex)];
}

/**
 * Lowercase without accents, position by position (each code point maps to one of the same
 * length), so an index in the folded text is the same index in the original: "Trámite" → "tramite".
 */
export function foldForMatching(text: string): string {
  // Most messages are plain ASCII: nothing to unaccent.
  if (!/[^\x20-\x7e\t\n\r]/.test(text)) return text.toLowerCase();
  let out = '';
  for (const unit of text) out += foldCodePoint(unit);
  return out;
}

const folded = new Map<string, string>();
const MAX_CACHED = 5000;

function foldCodePoint(unit: string): string {
  const cached = folded.get(unit);
  if (cached !== undefined) return cached;
  const candidate = unit.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const result = candidate.length === unit.length ? candidate : unit;
  if (folded.size < MAX_CACHED) folded.set(unit, result);
  return result;
}

/** Whether the character at `index` is a letter or digit (a word boundary check that knows "ñ" and "á"). */
export function isWordChar(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  return /[\p{L}\p{N}]/u.test(text.charAt(index));
}
