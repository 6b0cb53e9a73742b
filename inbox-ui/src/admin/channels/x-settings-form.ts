import type { ClientProblems } from '../form-problems.js';
import { checkInt } from '../form-problems.js';
import { blankSecrets, checkPattern, checkUrl, secretProblems } from './provided-secrets.js';
import { numberTextAt, textAt, type Settings } from './settings-read.js';

/** X direct messages (connectors/x/x-channel.schema.ts): the business account's user id, the API host, and two credentials. */

export const X_SECRET_NAMES = ['consumerSecret', 'userAccessToken'] as const;
export const X_DEFAULTS = { apiBaseUrl: 'https://api.x.com', sendTimeoutMs: 10_000 } as const;
/** X user ids are 64-bit: kept as the digits typed, never as numbers. */
const X_USER_ID = /^\d{1,20}$/;

export interface XSettingsForm {
  accountId: string;
  apiBaseUrl: string;
  sendTimeoutMs: string;
  secrets: Record<string, string>;
}

export function xSettingsToForm(settings: Settings): XSettingsForm {
  return {
    accountId: textAt(settings, 'accountId'),
    apiBaseUrl: textAt(settings, 'apiBaseUrl', X_DEFAULTS.apiBaseUrl),
    sendTimeoutMs: numberTextAt(settings, 'sendTimeoutMs', String(X_DEFAULTS.sendTimeoutMs)),
    secrets: blankSecrets(X_SECRET_NAMES),
  };
}

export function xFormToSettings(form: XSettingsForm, base: Settings): Settings {
  const timeout = Number(form.sendTimeoutMs.trim());
  return {
    ...base,
    accountId: form.accountId.trim(),
    apiBaseUrl: form.apiBaseUrl.trim(),
    ...(form.sendTimeoutMs.trim() !== '' && Number.isInteger(timeout) ? { sendTimeoutMs: timeout } : {}),
  };
}

export function validateXForm(form: XSettingsForm, secretsSet: readonly string[]): ClientProblems {
  const problems: ClientProblems = {};
  checkPattern(problems, 'settings.accountId', form.accountId, X_USER_ID, 'v.xUserId');
  checkUrl(problems, 'settings.apiBaseUrl', form.apiBaseUrl);
  const timeout = checkInt(form.sendTimeoutMs, 100, 60_000);
  if (timeout) problems['settings.sendTimeoutMs'] = timeout;
  secretProblems(problems, form.secrets, X_SECRET_NAMES, secretsSet);
  return problems;
}
