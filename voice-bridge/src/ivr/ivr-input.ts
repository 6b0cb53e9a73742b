/**
 * What a caller keyed or said, turned into a menu choice or a captured value. Twilio posts keys as
 * `Digits` and speech as a free transcript (`SpeechResult`), so speech is folded (case, accents,
 * punctuation) and Spanish number words count as keys: callers say «dos» as often as they press 2.
 */
import type { IvrInput } from './ivr.contract.js';
import type { IvrNode } from './ivr.schema.js';

export type MenuNode = Extract<IvrNode, { type: 'menu' }>;
export type MenuOption = MenuNode['options'][number];
export type CaptureNode = Extract<IvrNode, { type: 'capture' }>;

/** Spoken names of the keypad keys (es-MX); transcripts also carry plain digits. */
const KEY_WORDS: Record<string, readonly string[]> = {
  '0': ['cero'],
  '1': ['uno'],
  '2': ['dos'],
  '3': ['tres'],
  '4': ['cuatro'],
  '5': ['cinco'],
  '6': ['seis'],
  '7': ['siete'],
  '8': ['ocho'],
  '9': ['nueve'],
  '*': ['asterisco', 'estrella'],
  '#': ['gato', 'numeral'],
};
const WORD_TO_KEY = new Map<string, string>(Object.entries(KEY_WORDS).flatMap(([key, words]) => words.map((word) => [word, key] as const)));

/** Lowercase, no accents, words separated by single spaces and padded, so ` word ` matches whole words. */
export function foldSpeech(text: string): string {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9*#]+/g, ' ')
    .trim();
  return ` ${folded} `;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where `phrase` first occurs in the folded transcript as whole words (a Spanish plural -s/-es counts), or -1. */
function findPhrase(foldedSpeech: string, phrase: string): number {
  const folded = foldSpeech(phrase).trim();
  if (folded === '') return -1;
  const match = new RegExp(` ${escapeRegExp(folded)}(?:s|es)? `).exec(foldedSpeech);
  return match ? match.index : -1;
}

/**
 * The menu option the caller chose: an exact key, or (when the menu accepts speech) the option whose
 * word or key name appears first in what they said. Undefined: nothing valid (or nothing at all).
 */
export function chooseMenuOption(node: MenuNode, input: IvrInput): MenuOption | undefined {
  const keyed = (input.digits ?? '').trim();
  if (keyed !== '') return node.options.find((option) => option.digit === keyed);
  if (!node.speech) return undefined;
  const said = foldSpeech(input.speech ?? '');
  if (said.trim() === '') return undefined;
  let best: { option: MenuOption; at: number } | undefined;
  for (const option of node.options) {
    const phrases = [...(option.speech ?? []), option.digit, ...(KEY_WORDS[option.digit] ?? [])];
    for (const phrase of phrases) {
      const at = findPhrase(said, phrase);
      if (at >= 0 && (best === undefined || at < best.at)) best = { option, at };
    }
  }
  return best?.option;
}

/** True when the caller gave nothing at all (the <Redirect> after a silent <Gather>). */
export function isEmptyInput(input: IvrInput): boolean {
  return (input.digits ?? '').trim() === '' && (input.speech ?? '').trim() === '';
}

/**
 * A spoken code as characters: «G O D E cinco 6» → «GODE56». Twilio transcribes spelled letters as
 * single letters and numbers as digits or words; everything else (spaces, dashes, dots) is dropped.
 */
export function spokenToCharacters(speech: string): string {
  return foldSpeech(speech)
    .trim()
    .split(' ')
    .map((token) => WORD_TO_KEY.get(token) ?? token)
    .join('')
    .replace(/[^a-z0-9]/g, '')
    .toUpperCase();
}

function keyedDigits(input: IvrInput): string {
  const keyed = (input.digits ?? '').replace(/[^0-9]/g, '');
  if (keyed !== '') return keyed;
  // A caller who says the digits instead of keying them (speech gathers, or a carrier that sends both).
  return spokenToCharacters(input.speech ?? '').replace(/[^0-9]/g, '');
}

export interface IdChecks {
  validNss(raw: string): boolean;
  validCurp(raw: string): boolean;
}

/** A birth date keyed as DDMMAAAA → ISO YYYY-MM-DD, if it is a real date between 1900 and today. */
function keyedDate(digits: string, now: Date): string | undefined {
  const match = /^(\d{2})(\d{2})(\d{4})$/.exec(digits);
  if (!match) return undefined;
  const [, dd, mm, yyyy] = match;
  const day = Number(dd);
  const month = Number(mm);
  const year = Number(yyyy);
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!real || year < 1900 || date.getTime() > now.getTime()) return undefined;
  return `${yyyy}-${mm}-${dd}`;
}

/** The value a capture node stores, or why not: `empty` (silence) versus a wrong answer. */
export type CaptureReading = { ok: true; value: string } | { ok: false; empty: boolean };

export function readCapture(node: CaptureNode, input: IvrInput, checks: IdChecks, now: Date): CaptureReading {
  if (isEmptyInput(input)) return { ok: false, empty: true };
  const invalid: CaptureReading = { ok: false, empty: false };
  switch (node.kind) {
    case 'nss': {
      const nss = keyedDigits(input);
      return nss.length === 11 && checks.validNss(nss) ? { ok: true, value: nss } : invalid;
    }
    case 'curp': {
      const curp = spokenToCharacters(input.speech ?? input.digits ?? '');
      return curp.length === 18 && checks.validCurp(curp) ? { ok: true, value: curp } : invalid;
    }
    case 'date': {
      const iso = keyedDate(keyedDigits(input), now);
      return iso === undefined ? invalid : { ok: true, value: iso };
    }
    case 'digits': {
      const digits = keyedDigits(input);
      const rightLength = node.numDigits === undefined ? digits.length > 0 : digits.length === node.numDigits;
      return rightLength ? { ok: true, value: digits } : invalid;
    }
  }
}

/** A code read character by character for text-to-speech: «DH-2026» → «D H guion 2 0 2 6». */
export function spellForSpeech(code: string): string {
  return [...code]
    .map((char) => (char === '-' ? 'guion' : /[\p{L}\p{N}]/u.test(char) ? char.toUpperCase() : ''))
    .filter((part) => part !== '')
    .join(' ');
}

/** Fills `{{name}}` placeholders; unknown ones are left out rather than read aloud as braces. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([a-z_]+)\s*\}\}/gi, (_whole, name: string) => values[name] ?? '');
}
