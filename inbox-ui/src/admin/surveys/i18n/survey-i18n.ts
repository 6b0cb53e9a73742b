import { useMemo } from 'react';
import { useI18n } from '../../../i18n/i18n.js';
import { interpolate, type Lang } from '../../../i18n/lang.js';
import { surveyEn } from './survey-messages.en.js';
import { surveyEsMX, type SurveyMessageKey } from './survey-messages.es-mx.js';

/** The section's own catalogues (kept apart from the console's), on the inbox's language choice. */
const catalogues: Record<Lang, Record<SurveyMessageKey, string>> = { 'es-MX': surveyEsMX, en: surveyEn };

export type SurveyTranslate = (key: SurveyMessageKey, values?: Record<string, string | number>) => string;

export function surveyTranslator(lang: Lang): SurveyTranslate {
  const catalogue = catalogues[lang];
  return (key, values) => interpolate(catalogue[key], values);
}

export function useSurveyI18n(): { lang: Lang; st: SurveyTranslate } {
  const { lang } = useI18n();
  const st = useMemo(() => surveyTranslator(lang), [lang]);
  return { lang, st };
}
