import type { ClientProblems } from '../form-problems.js';
import { checkInt } from '../form-problems.js';
import { blankSecrets, checkPattern, checkUrl, secretProblems, withOptionalInt, withOptionalText } from './provided-secrets.js';
import { boolAt, numberTextAt, textAt, type Settings } from './settings-read.js';

/**
 * The Twilio SMS channel (connectors/sms/sms-channel.schema.ts): the account, who sends (a
 * number, a Messaging Service, or both), the public URL Twilio signs, and the auth token.
 */

export const SMS_SECRET_NAMES = ['authToken'] as const;
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export interface SmsSettingsForm {
  accountSid: string;
  from: string;
  messagingServiceSid: string;
  webhookBaseUrl: string;
  apiBaseUrl: string;
  statusCallback: boolean;
  maxSendsPerSecond: string;
  secrets: Record<string, string>;
}

export function smsSettingsToForm(settings: Settings): SmsSettingsForm {
  return {
    accountSid: textAt(settings, 'accountSid'),
    from: textAt(settings, 'from'),
    messagingServiceSid: textAt(settings, 'messagingServiceSid'),
    webhookBaseUrl: textAt(settings, 'webhookBaseUrl'),
    apiBaseUrl: textAt(settings, 'apiBaseUrl'),
    statusCallback: boolAt(settings, 'statusCallback', true),
    maxSendsPerSecond: numberTextAt(settings, 'maxSendsPerSecond', ''),
    secrets: blankSecrets(SMS_SECRET_NAMES),
  };
}

export function smsFormToSettings(form: SmsSettingsForm, base: Settings): Settings {
  let settings: Settings = { ...base, accountSid: form.accountSid.trim(), statusCallback: form.statusCallback };
  settings = withOptionalText(settings, 'from', form.from.replace(/[\s()-]/g, ''));
  settings = withOptionalText(settings, 'messagingServiceSid', form.messagingServiceSid);
  settings = withOptionalText(settings, 'webhookBaseUrl', form.webhookBaseUrl);
  settings = withOptionalText(settings, 'apiBaseUrl', form.apiBaseUrl);
  return withOptionalInt(settings, 'maxSendsPerSecond', form.maxSendsPerSecond);
}

export function validateSmsForm(form: SmsSettingsForm, secretsSet: readonly string[]): ClientProblems {
  const problems: ClientProblems = {};
  checkPattern(problems, 'settings.accountSid', form.accountSid, ACCOUNT_SID, 'v.twilioAccountSid');
  checkPattern(problems, 'settings.from', form.from.replace(/[\s()-]/g, ''), E164, 'v.e164', false);
  checkPattern(problems, 'settings.messagingServiceSid', form.messagingServiceSid, SERVICE_SID, 'v.twilioServiceSid', false);
  // Twilio needs a sender: a number of the account or a Messaging Service (its pool).
  if (form.from.trim() === '' && form.messagingServiceSid.trim() === '') problems['settings.from'] = { key: 'v.smsSender' };
  checkUrl(problems, 'settings.webhookBaseUrl', form.webhookBaseUrl, false);
  checkUrl(problems, 'settings.apiBaseUrl', form.apiBaseUrl, false);
  const rate = checkInt(form.maxSendsPerSecond, 1, 1000, false);
  if (rate) problems['settings.maxSendsPerSecond'] = rate;
  secretProblems(problems, form.secrets, SMS_SECRET_NAMES, secretsSet);
  return problems;
}
