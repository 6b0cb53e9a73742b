import { useMemo } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { interpolate, type Lang } from '../../../i18n/lang.js';
import { blasterEn } from './blaster-messages.en.js';
import { blasterEsMX, type BlasterMessageKey } from './blaster-messages.es-mx.js';

/** The section's own catalogues, on the inbox's language choice. */
const catalogues: Record<Lang, Record<BlasterMessageKey, string>> = { 'es-MX': blasterEsMX, en: blasterEn };

export type BlasterTranslate = (key: BlasterMessageKey, values?: Record<string, string | number>) => string;

export function blasterTranslator(lang: Lang): BlasterTranslate {
  const catalogue = catalogues[lang];
  return (key, values) => interpolate(catalogue[key], values);
}

export function useBlasterI18n(): { lang: Lang; bt: BlasterTranslate } {
  const { lang } = useI18n();
  const bt = useMemo(() => blasterTranslator(lang), [lang]);
  return { lang, bt };
}
