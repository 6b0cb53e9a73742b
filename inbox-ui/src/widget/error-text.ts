import { ApiError } from '../api/api-error.js';
import type { WidgetI18n } from './widget-i18n.js';

/** What the visitor reads when a call fails: the hub's own words, or "no connection". */
export function errorText(error: unknown, i18n: WidgetI18n): string {
  if (error instanceof ApiError) return i18n.hubText(error.message);
  if (error instanceof TypeError) return i18n.t('error.network');
  return i18n.t('error.generic');
}
