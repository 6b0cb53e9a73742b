import type { Language } from '../model.schema.js';
import { tokenize } from './tokenize.js';

export const MAX_PASSAGE_CHARS = 700;

/**
 * The part of an article that answers the question: the paragraph sharing the most search
 * terms with it (the first on a tie), cut to whole sentences within 700 characters so a
 * chat bubble stays readable.
 */
export function bestPassage(body: string, question: string): string {
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
  if (paragraphs.length === 0) return '';
  const wanted = new Set(tokenize(question));
  let best = paragraphs[0] ?? '';
  let bestOverlap = -1;
  for (const paragraph of paragraphs) {
    const overlap = new Set(tokenize(paragraph).filter((t) => wanted.has(t))).size;
    if (overlap > bestOverlap) {
      best = paragraph;
      bestOverlap = overlap;
    }
  }
  return fitSentences(best, MAX_PASSAGE_CHARS);
}

function fitSentences(paragraph: string, max: number): string {
  if (paragraph.length <= max) return paragraph;
  const sentences = paragraph.match(/[^.!?…]+[.!?…]+["»”)]*\s*|[^.!?…]+$/g) ?? [paragraph];
  let out = '';
  for (const sentence of sentences) {
    if ((out + sentence).trimEnd().length > max) break;
    out += sentence;
  }
  if (out.trim().length > 0) return out.trim();
  // One sentence longer than the limit: cut at a word boundary.
  const cut = paragraph.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The citation every KB answer ends with, so the citizen can look the article up. */
export function citation(title: string, language: Language): string {
  return language === 'en' ? `(Source: "${title}")` : `(Fuente: «${title}»)`;
}

export function withCitation(text: string, title: string, language: Language): string {
  return `${text}\n\n${citation(title, language)}`;
}
