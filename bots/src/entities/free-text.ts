import type { NluEntity } from '../engine.contract.js';

/**
 * The two `collect` kinds that are no entity in a sentence but the whole answer: a person's name
 * and free text.
 */

const NAME_CHARS = /^[\p{L}\p{M}' ’-]+$/u;

/** 2–80 characters of letters, spaces, apostrophes and hyphens with at least 2 letters ("José Ángel O'Neill-Pérez"). */
export function parseName(text: string): NluEntity | null {
  const value = text.trim().replace(/\s+/g, ' ');
  if (value.length < 2 || value.length > 80 || !NAME_CHARS.test(value)) return null;
  if ((value.match(/\p{L}/gu) ?? []).length < 2) return null;
  return { type: 'name', text: text.trim(), value, valid: true };
}

export const MAX_FREE_TEXT_CHARS = 500;

export function parseFreeText(text: string): NluEntity | null {
  const value = text.trim();
  if (value.length === 0 || value.length > MAX_FREE_TEXT_CHARS) return null;
  return { type: 'text', text: value, value, valid: true };
}
