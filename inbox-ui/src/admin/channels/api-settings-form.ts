import { parseIntStrict } from '../form-problems.js';
import { numberTextAt, textAt, without, type Settings } from './settings-read.js';

/** The API channel (connectors/api) shows two settings: the callback URL and its timeout, both optional. */
export interface ApiSettingsForm {
  callbackUrl: string;
  callbackTimeoutMs: string;
}

export function apiSettingsToForm(settings: Settings): ApiSettingsForm {
  return { callbackUrl: textAt(settings, 'callbackUrl'), callbackTimeoutMs: numberTextAt(settings, 'callbackTimeoutMs', '') };
}

/** Empty fields are left out (inbound only; the hub's default timeout), so they drop from `base` too. */
export function apiFormToSettings(form: ApiSettingsForm, base: Settings): Settings {
  const url = form.callbackUrl.trim();
  const timeout = parseIntStrict(form.callbackTimeoutMs);
  return { ...without(without(base, 'callbackUrl'), 'callbackTimeoutMs'), ...(url ? { callbackUrl: url } : {}), ...(timeout !== null ? { callbackTimeoutMs: timeout } : {}) };
}
