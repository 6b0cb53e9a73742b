import { STOP_WORDS } from './stop-words.js';

/** Lowercase, accents off (ñ kept: "año" and "ano" are different words), only letters and digits. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ñ/g, '\uE000')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\uE000/g, 'ñ');
}

// Longest first: the first suffix that leaves a stem of 4+ letters wins.
const SUFFIXES = ['amientos', 'imientos', 'amiento', 'imiento', 'aciones', 'uciones', 'idades', 'mente', 'acion', 'ucion', 'istas', 'ista', 'idad', 'ando', 'iendo', 'ables', 'ibles', 'able', 'ible', 'ados', 'idas', 'idos', 'adas', 'ado', 'ada', 'ido', 'ida'];

/**
 * A deliberately light Spanish stemmer: plural endings and a few derivational suffixes, so
 * "citas"/"cita", "pensiones"/"pensión", "registrado"/"registro" meet. Snowball would be
 * finer but is one more dependency for little gain on short FAQ articles.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /^\d/.test(word)) return word;
  for (const suffix of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return trimVowel(word.slice(0, -suffix.length));
  }
  if (word.endsWith('ces') && word.length > 5) return `${word.slice(0, -3)}z`;
  if (word.endsWith('es') && word.length > 5 && !/[aeiou]es$/.test(word)) return trimVowel(word.slice(0, -2));
  if (word.endsWith('s') && word.length > 4) return trimVowel(word.slice(0, -1));
  return trimVowel(word);
}

/** "registro" and "registra" share "registr": drop one final vowel when the stem stays long. */
function trimVowel(word: string): string {
  return word.length > 4 && /[aeo]$/.test(word) ? word.slice(0, -1) : word;
}

/** Search terms of a text: folded, split on anything that is not a letter or digit, stop words out, stemmed. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const word of foldText(text).split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    terms.push(stem(word));
  }
  return terms;
}
