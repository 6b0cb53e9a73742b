import type { PrechatFieldName } from '@ventanilla/hub/widget-contract';
import type { Translate } from './widget-i18n.js';

/**
 * What the widget checks before sending (the hub checks again): the visitor hears about a typo
 * next to the field instead of after a round trip.
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** Mexican mobiles have 10 digits; a country code (+52…) may come first, with spaces or dashes. */
export function isPhone(value: string): boolean {
  if (!/^\+?[\d\s().-]+$/.test(value)) return false;
  const digits = value.replace(/\D/g, '').length;
  return digits >= 10 && digits <= 15;
}

/**
 * The attachment `accept` list of the channel: MIME types (`application/pdf`), families
 * (`image/*`) or extensions (`.pdf`). An empty list accepts anything the size allows.
 */
export function fileAccepted(file: { name: string; type: string }, accept: string[]): boolean {
  if (accept.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return accept.some((rule) => {
    const r = rule.trim().toLowerCase();
    if (r.startsWith('.')) return name.endsWith(r);
    if (r.endsWith('/*')) return type.startsWith(r.slice(0, -1));
    return type === r;
  });
}

/** The hub's column limits for the pre-chat data (webchat_sessions). */
export const PRECHAT_MAX: Record<PrechatFieldName, number> = { name: 200, email: 254, phone: 32, topic: 200 };

/** What is wrong with one pre-chat value, in the visitor's language; null when it is fine. */
export function prechatProblem(name: PrechatFieldName, value: string, required: boolean, t: Translate): string | null {
  if (!value) return required ? t(name === 'topic' ? 'error.topic' : 'error.required') : null;
  if (value.length > PRECHAT_MAX[name]) return t('error.tooLong', { max: PRECHAT_MAX[name] });
  if (name === 'email' && !isEmail(value)) return t('error.email');
  if (name === 'phone' && !isPhone(value)) return t('error.phone');
  return null;
}
