import { createContext, useContext } from 'react';
import { ApiError, localizedMessage } from '../api/api-error.js';
import { DEFAULT_LANG, interpolate, isLang, type Lang } from '../i18n/lang.js';
import { PORTAL_MESSAGES, type PortalMessages } from './portal-messages.js';

export type MessageKey = keyof PortalMessages;

export interface PortalText {
  lang: Lang;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** An API error as the citizen reads it: the hub's sentence in the page's language. */
  errorText(error: unknown): string;
}

const LANG_KEY = 'ventanilla.portal.lang';

export function storedLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    return isLang(saved) ? saved : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

export function storeLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // Private mode: the switch still works for this visit.
  }
}

export function portalText(lang: Lang): PortalText {
  const messages = PORTAL_MESSAGES[lang];
  return {
    lang,
    t: (key, values) => interpolate(messages[key], values),
    errorText: (error) => {
      if (error instanceof ApiError) return localizedMessage(error.message, lang);
      return messages.networkError;
    },
  };
}

export const PortalTextContext = createContext<PortalText>(portalText(DEFAULT_LANG));

export function usePortalText(): PortalText {
  return useContext(PortalTextContext);
}
