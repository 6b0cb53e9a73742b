import { useMemo } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { interpolate, type Lang } from '../../../i18n/lang.js';
import { slaEn } from './sla-messages.en.js';
import { slaEsMX, type SlaMessageKey } from './sla-messages.es-mx.js';

const catalogues: Record<Lang, Record<SlaMessageKey, string>> = { 'es-MX': slaEsMX, en: slaEn };

export type SlaTranslate = (key: SlaMessageKey, values?: Record<string, string | number>) => string;

export function useSlaI18n(): { lang: Lang; st: SlaTranslate } {
  const { lang } = useI18n();
  const st = useMemo<SlaTranslate>(() => (key, values) => interpolate(catalogues[lang][key], values), [lang]);
  return { lang, st };
}
