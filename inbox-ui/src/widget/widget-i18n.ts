import type { WidgetLocale } from '@ventanilla/hub/widget-contract';
import { localizedMessage } from '../api/api-error.js';
import { interpolate } from '../i18n/lang.js';
import { widgetEn } from './widget-messages.en.js';
import { widgetEsMX, type WidgetMessageKey } from './widget-messages.es-mx.js';

export type Translate = (key: WidgetMessageKey, values?: Record<string, string | number>) => string;

export interface WidgetI18n {
  locale: WidgetLocale;
  t: Translate;
  /** A hub error message ("español / English") in this locale. */
  hubText(message: string): string;
  fileSize(bytes: number): string;
  time(iso: string): string;
}

export function isWidgetLocale(value: string): value is WidgetLocale {
  return value === 'es-MX' || value === 'en';
}

/** `data-locale` as a page writes it (es, es-MX, en, en-US…) to one of ours; unknown → null. */
export function normaliseLocale(value: string | undefined): WidgetLocale | null {
  const lower = value?.trim().toLowerCase() ?? '';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower === 'es' || lower.startsWith('es-')) return 'es-MX';
  return null;
}

export function createWidgetI18n(locale: WidgetLocale): WidgetI18n {
  const dictionary: Record<WidgetMessageKey, string> = locale === 'en' ? widgetEn : widgetEsMX;
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  return {
    locale,
    t: (key, values) => interpolate(dictionary[key], values),
    hubText: (message) => localizedMessage(message, locale),
    fileSize: (bytes) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${number.format(bytes / 1024)} KB` : `${number.format(bytes / (1024 * 1024))} MB`),
    time: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? '' : clock.format(date);
    },
  };
}
