import type { Lang } from '../i18n/lang.js';

/**
 * A reviewer's notice is stored "español / English" with the reviewer's reason on both sides, and
 * a reason may itself contain " / ". With the reason n times in each half, the separator is the
 * middle one of the 2n + 1 occurrences; the page shows the side of its language.
 */
export function noticeSide(text: string, lang: Lang): string {
  const at: number[] = [];
  for (let i = text.indexOf(' / '); i >= 0; i = text.indexOf(' / ', i + 3)) at.push(i);
  if (at.length % 2 === 0) return text;
  const middle = at[(at.length - 1) / 2] ?? -1;
  return lang === 'en' ? text.slice(middle + 3) : text.slice(0, middle);
}
