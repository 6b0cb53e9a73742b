import type { Lang } from '../i18n/lang.js';

/** A calendar's local date (YYYY-MM-DD) in words: "viernes, 4 de diciembre de 2026". */
export function formatLocalDate(localDate: string, lang: Lang): string {
  const at = new Date(`${localDate}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return localDate;
  return new Intl.DateTimeFormat(lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at);
}

/** An instant (ISO-8601) in the reader's own clock. */
export function formatInstant(iso: string, lang: Lang): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}
