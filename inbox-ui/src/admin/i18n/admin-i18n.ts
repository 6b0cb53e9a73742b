import { useMemo } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { interpolate, type Lang } from '../../i18n/lang.js';
import { adminEn } from './admin-messages.en.js';
import { adminEsMX, type AdminMessageKey } from './admin-messages.es-mx.js';

/**
 * The admin console's own catalogues, on the inbox's language choice (i18n/i18n.tsx): the
 * switch in the console and in the workspace are the same setting.
 */
const catalogues: Record<Lang, Record<AdminMessageKey, string>> = { 'es-MX': adminEsMX, en: adminEn };

export type AdminTranslate = (key: AdminMessageKey, values?: Record<string, string | number>) => string;

export function adminTranslator(lang: Lang): AdminTranslate {
  const catalogue = catalogues[lang];
  return (key, values) => interpolate(catalogue[key], values);
}

export function useAdminI18n(): { lang: Lang; t: AdminTranslate; setLang(lang: Lang): void } {
  const { lang, setLang } = useI18n();
  const t = useMemo(() => adminTranslator(lang), [lang]);
  return { lang, t, setLang };
}
