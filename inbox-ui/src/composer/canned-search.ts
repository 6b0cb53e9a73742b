import type { CannedResponse } from '../api/api-types.js';
import { fold } from '../workspace/workspace-state.js';

/** The `/query` being typed just before the caret, or null when the picker should be closed. */
export function slashQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(before);
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query };
}

/** Shortcut prefix first, then title or body containing the words (accent- and case-insensitive). */
export function searchCanned(items: readonly CannedResponse[], query: string, limit = 8): CannedResponse[] {
  const q = fold(query.trim());
  if (q === '') return items.slice(0, limit);
  const prefix = items.filter((c) => fold(c.shortcut).startsWith(q));
  const words = q.split(/\s+/);
  const rest = items.filter((c) => !prefix.includes(c) && words.every((w) => fold(`${c.title} ${c.body} ${c.shortcut}`).includes(w)));
  return [...prefix, ...rest].slice(0, limit);
}

/** Replaces `/query` (from start to caret) with the text; returns the new value and caret. */
export function insertAt(text: string, start: number, caret: number, insert: string): { value: string; caret: number } {
  const value = text.slice(0, start) + insert + text.slice(caret);
  return { value, caret: start + insert.length };
}
