import { useMemo } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { interpolate, type Lang } from '../../../i18n/lang.js';
import { massMailEn } from './mass-mail-messages.en.js';
import { massMailEsMX, type MassMailMessageKey } from './mass-mail-messages.es-mx.js';

/** The section's own catalogues (kept apart from the console's), on the inbox's language choice. */
const catalogues: Record<Lang, Record<MassMailMessageKey, string>> = { 'es-MX': massMailEsMX, en: massMailEn };

export type MassMailTranslate = (key: MassMailMessageKey, values?: Record<string, string | number>) => string;

export function massMailTranslator(lang: Lang): MassMailTranslate {
  const catalogue = catalogues[lang];
  return (key, values) => interpolate(catalogue[key], values);
}

export function useMassMailI18n(): { lang: Lang; mt: MassMailTranslate } {
  const { lang } = useI18n();
  const mt = useMemo(() => massMailTranslator(lang), [lang]);
  return { lang, mt };
}
