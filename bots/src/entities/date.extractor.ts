import { entityMatch, foldForMatching, type EntityMatch } from './entity-match.js';

/**
 * Dates as citizens write them, Mexican order first: "15/03/1985", "15-03-1985", "1985-03-15",
 * "15 de marzo de 1985", "March 15, 1985", "15 March 1985", and "hoy", "mañana", "ayer",
 * "today", "tomorrow". Value: ISO `YYYY-MM-DD`; impossible dates (31/02) are not reported.
 * Relative words count from `now` in `timeZone` (Mexico City unless the caller says otherwise),
 * so "hoy" at 8 p.m. in Mexico is still today although it is already tomorrow in UTC.
 */

export const DEFAULT_TIME_ZONE = 'America/Mexico_City';

const MONTHS: Record<string, number> = {
  enero: 1, ene: 1, january: 1, jan: 1,
  febrero: 2, feb: 2, february: 2,
  marzo: 3, mar: 3, march: 3,
  abril: 4, abr: 4, april: 4, apr: 4,
  mayo: 5, may: 5,
  junio: 6, jun: 6, june: 6,
  julio: 7, jul: 7, july: 7,
  agosto: 8, ago: 8, august: 8, aug: 8,
  septiembre: 9, setiembre: 9, sep: 9, sept: 9, september: 9,
  octubre: 10, oct: 10, october: 10,
  noviembre: 11, nov: 11, november: 11,
  diciembre: 12, dic: 12, december: 12, dec: 12,
};
// Longest names first so "septiembre" is not read as "sep" + "tiembre".
const MONTH = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';

interface Pattern {
  regex: RegExp;
  parts(m: RegExpExecArray): { y: string | undefined; mo: string | undefined; d: string | undefined };
}

// Matched against the folded text (lowercase, no accents), positions equal to the original's.
const PATTERNS: Pattern[] = [
  { regex: new RegExp(`${B}(\\d{4})-(\\d{1,2})-(\\d{1,2})${E}`, 'gu'), parts: (m) => ({ y: m[1], mo: m[2], d: m[3] }) },
  { regex: new RegExp(`${B}(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4})${E}`, 'gu'), parts: (m) => ({ d: m[1], mo: m[3], y: m[4] }) },
  {
    regex: new RegExp(`${B}(\\d{1,2})(?:\\s+de)?\\s+(${MONTH})\\.?(?:,?\\s+(?:de(?:l)?\\s+)?(\\d{4}))?${E}`, 'gu'),
    parts: (m) => ({ d: m[1], mo: m[2], y: m[3] }),
  },
  {
    regex: new RegExp(`${B}(${MONTH})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?${E}`, 'gu'),
    parts: (m) => ({ mo: m[1], d: m[2], y: m[3] }),
  },
];

const RELATIVE: { regex: RegExp; days: number }[] = [
  { regex: new RegExp(`${B}pasado\\s+manana${E}`, 'gu'), days: 2 },
  { regex: new RegExp(`${B}day\\s+after\\s+tomorrow${E}`, 'gu'), days: 2 },
  // "en la mañana", "por la mañana" are the morning, not tomorrow.
  { regex: new RegExp(`(?<!\\b(?:la|esta|cada|una)\\s+)${B}manana${E}`, 'gu'), days: 1 },
  { regex: new RegExp(`${B}tomorrow${E}`, 'gu'), days: 1 },
  { regex: new RegExp(`${B}(?:hoy|today)${E}`, 'gu'), days: 0 },
  { regex: new RegExp(`${B}(?:ayer|yesterday)${E}`, 'gu'), days: -1 },
];

export function extractDate(text: string, now: Date = new Date(), timeZone: string = DEFAULT_TIME_ZONE): EntityMatch[] {
  const folded = foldForMatching(text);
  const found: EntityMatch[] = [];
  const mask = new Uint8Array(text.length);
  const taken = (start: number, end: number): boolean => mask.subarray(start, end).includes(1);
  const take = (match: EntityMatch): void => {
    mask.fill(1, match.start, match.end);
    found.push(match);
  };
  for (const pattern of /\d/.test(text) ? PATTERNS : []) {
    for (const m of folded.matchAll(pattern.regex)) {
      if (taken(m.index, m.index + m[0].length)) continue;
      const { y, mo, d } = pattern.parts(m);
      const month = mo === undefined ? NaN : /^\d+$/.test(mo) ? Number(mo) : (MONTHS[mo] ?? NaN);
      const year = y === undefined ? Number(localToday(now, timeZone).slice(0, 4)) : Number(y);
      const iso = isoDate(year, month, Number(d));
      if (iso) take(entityMatch('date', text.slice(m.index, m.index + m[0].length), m.index, iso));
    }
  }
  for (const { regex, days } of RELATIVE) {
    for (const m of folded.matchAll(regex)) {
      if (taken(m.index, m.index + m[0].length)) continue;
      take(entityMatch('date', text.slice(m.index, m.index + m[0].length), m.index, addDays(localToday(now, timeZone), days)));
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** `YYYY-MM-DD` when the date exists (no 31 February), between 1900 and 2100; else null. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1900 || year > 2100) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

function localToday(now: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(now);
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
