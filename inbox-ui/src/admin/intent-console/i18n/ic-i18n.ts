import { useMemo } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { interpolate, type Lang } from '../../../i18n/lang.js';
import { icEn } from './ic-messages.en.js';
import { icEsMX, type IcMessageKey } from './ic-messages.es-mx.js';

/** The intent console's own catalogues (kept apart from the admin console's), on the inbox's language choice. */
const catalogues: Record<Lang, Record<IcMessageKey, string>> = { 'es-MX': icEsMX, en: icEn };

export type IcTranslate = (key: IcMessageKey, values?: Record<string, string | number>) => string;

export function icTranslator(lang: Lang): IcTranslate {
  const catalogue = catalogues[lang];
  return (key, values) => interpolate(catalogue[key], values);
}

export function useIcI18n(): { lang: Lang; it: IcTranslate } {
  const { lang } = useI18n();
  const it = useMemo(() => icTranslator(lang), [lang]);
  return { lang, it };
}
