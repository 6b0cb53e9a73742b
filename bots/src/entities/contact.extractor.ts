import { digitGroups } from './digit-groups.js';
import { allMatches, entityMatch, type EntityMatch } from './entity-match.js';

/** Mexican phone numbers (10 digits since 2019's numbering plan) → E.164 `+52XXXXXXXXXX`. */
export function extractPhone(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  for (const g of digitGroups(text)) {
    const national = nationalNumber(g.digits, g.plus);
    if (national) found.push(entityMatch('phone', g.text, g.start, `+52${national}`));
  }
  return found;
}

function nationalNumber(digits: string, plus: boolean): string | null {
  if (digits.length === 10 && !plus) return digits;
  if (!digits.startsWith('52')) return null;
  const rest = digits.slice(2);
  if (rest.length === 10) return rest;
  // The old mobile prefix "+52 1" is still written by many; the network ignores it now.
  if (rest.length === 11 && rest.startsWith('1')) return rest.slice(1);
  return null;
}

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

export function extractEmail(text: string): EntityMatch[] {
  return allMatches(EMAIL, text).map((m) => entityMatch('email', m[0], m.index, m[0].toLowerCase()));
}
