/**
 * Runs of digits as people type phone numbers and NSS: "55 1234 5678", "+52 1 55-1234-5678",
 * "1234-56-7890-1", "(55) 1234 5678". Short groups joined by one space, dash or dot belong
 * together; two long runs side by side ("12345678901 5512345678") stay apart.
 */
export interface DigitGroup {
  text: string;
  start: number;
  digits: string;
  plus: boolean;
}

const CHUNK = /(?<![\p{L}\p{N}])\+?\(?\d+\)?/gu;
const MAX_DIGITS = 13;
const SHORT = 5;

export function digitGroups(text: string): DigitGroup[] {
  const chunks = [...text.matchAll(CHUNK)].map((m) => ({ start: m.index, end: m.index + m[0].length, raw: m[0], digits: m[0].replace(/\D/g, '') }));
  const groups: DigitGroup[] = [];
  let i = 0;
  while (i < chunks.length) {
    const first = chunks[i];
    if (!first) break;
    let end = first.end;
    let digits = first.digits;
    let last = first;
    let j = i + 1;
    for (; j < chunks.length; j++) {
      const next = chunks[j];
      if (!next || next.raw.startsWith('+')) break;
      const gap = text.slice(end, next.start);
      const joinable = /^[ .-]$/.test(gap) && (last.digits.length <= SHORT || next.digits.length <= SHORT);
      if (!joinable || digits.length + next.digits.length > MAX_DIGITS) break;
      digits += next.digits;
      end = next.end;
      last = next;
    }
    // A run glued to letters or more digits after it ("123abc") is not a number someone typed alone.
    if (!/[\p{L}]/u.test(text.charAt(end))) {
      groups.push({ text: text.slice(first.start, end), start: first.start, digits, plus: first.raw.startsWith('+') });
    }
    i = j;
  }
  return groups;
}
