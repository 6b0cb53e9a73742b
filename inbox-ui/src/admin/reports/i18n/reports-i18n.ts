import { useMemo } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { interpolate, type Lang } from '../../../i18n/lang.js';
import { reportsEn } from './reports-messages.en.js';
import { reportsEsMX, type ReportsMessageKey } from './reports-messages.es-mx.js';

/** The section's own catalogues (kept apart from the console's), on the inbox's language choice. */
const catalogues: Record<Lang, Record<ReportsMessageKey, string>> = { 'es-MX': reportsEsMX, en: reportsEn };

export type ReportsTranslate = (key: ReportsMessageKey, values?: Record<string, string | number>) => string;

export function reportsTranslator(lang: Lang): ReportsTranslate {
  const catalogue = catalogues[lang];
  return (key, values) => interpolate(catalogue[key], values);
}

export function useReportsI18n(): { lang: Lang; rt: ReportsTranslate } {
  const { lang } = useI18n();
  const rt = useMemo(() => reportsTranslator(lang), [lang]);
  return { lang, rt };
}
