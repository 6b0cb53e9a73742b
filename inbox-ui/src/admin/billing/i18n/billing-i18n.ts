import { useMemo } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { interpolate, type Lang } from '../../../i18n/lang.js';
import { billingEn } from './billing-messages.en.js';
import { billingEsMX, type BillingMessageKey } from './billing-messages.es-mx.js';

const catalogues: Record<Lang, Record<BillingMessageKey, string>> = { 'es-MX': billingEsMX, en: billingEn };

export type BillingTranslate = (key: BillingMessageKey, values?: Record<string, string | number>) => string;

export function billingTranslator(lang: Lang): BillingTranslate {
  return (key, values) => interpolate(catalogues[lang][key], values);
}

export function useBillingI18n(): { lang: Lang; bt: BillingTranslate } {
  const { lang } = useI18n();
  const bt = useMemo(() => billingTranslator(lang), [lang]);
  return { lang, bt };
}
