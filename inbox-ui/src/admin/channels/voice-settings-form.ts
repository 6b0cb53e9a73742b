import type { ClientProblems } from '../form-problems.js';
import { checkInt } from '../form-problems.js';
import { blankSecrets, checkPattern, checkUrl, secretProblems, withOptionalInt, withOptionalText } from './provided-secrets.js';
import { boolAt, numberTextAt, textAt, type Settings } from './settings-read.js';

/**
 * The Twilio Voice channel (connectors/voice/voice-channel.schema.ts): the account, the number
 * outbound calls show, the public URL Twilio signs, the queue calls go to, how agents take calls,
 * voicemail, the survey, call-backs, the softphone's TwiML App and API key, and two credentials.
 * voice-settings-form.test.ts checks the output against the schema itself.
 */

export const VOICE_SECRET_NAMES = ['authToken', 'apiKeySecret'] as const;
/** Only the auth token is needed: every webhook's X-Twilio-Signature is checked with it. */
const REQUIRED_SECRETS = ['authToken'] as const;
export const AGENT_ENDPOINTS = ['client', 'phone', 'sip'] as const;
export type AgentEndpoint = (typeof AGENT_ENDPOINTS)[number];

/** The schema's ranges and defaults, mirrored (the test compares them with the schema). */
export const VOICE_RANGES = {
  agentRingSeconds: { min: 5, max: 60, default: 20 },
  voicemailMaxSeconds: { min: 10, max: 600, default: 120 },
  callbackMaxAttempts: { min: 1, max: 10, default: 3 },
  callbackRetryMinutes: { min: 1, max: 1440, default: 15 },
} as const;
type VoiceNumberField = keyof typeof VOICE_RANGES;
const NUMBER_FIELDS = ['agentRingSeconds', 'voicemailMaxSeconds', 'callbackMaxAttempts', 'callbackRetryMinutes'] as const satisfies readonly VoiceNumberField[];

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const APP_SID = /^AP[0-9a-fA-F]{32}$/;
const API_KEY_SID = /^SK[0-9a-fA-F]{32}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
/** The hub's own cap on a typed secret (hub/src/campaigns/channel-secrets.ts SECRET_MAX_LENGTH), below provided-secrets' SECRET_MAX. */
export const HUB_SECRET_MAX = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface VoiceSettingsForm extends Record<VoiceNumberField, string> {
  accountSid: string;
  callerId: string;
  webhookBaseUrl: string;
  apiBaseUrl: string;
  /** '' = the campaign's default queue. */
  queueId: string;
  recording: boolean;
  agentEndpoint: AgentEndpoint;
  voicemailOutsideHours: boolean;
  survey: boolean;
  twimlAppSid: string;
  apiKeySid: string;
  /** Typed in this session only; empty = keep the stored one. */
  secrets: Record<string, string>;
}

function endpointOf(value: unknown): AgentEndpoint {
  return AGENT_ENDPOINTS.find((e) => e === value) ?? 'client';
}

/** "+52 (55) 1234-5678" → "+525512345678": people paste numbers the way they read them. */
export function compactPhone(text: string): string {
  return text.replace(/[\s()-]/g, '');
}

export function voiceSettingsToForm(settings: Settings): VoiceSettingsForm {
  return {
    accountSid: textAt(settings, 'accountSid'),
    callerId: textAt(settings, 'callerId'),
    webhookBaseUrl: textAt(settings, 'webhookBaseUrl'),
    apiBaseUrl: textAt(settings, 'apiBaseUrl'),
    queueId: textAt(settings, 'queueId'),
    recording: boolAt(settings, 'recording', true),
    agentEndpoint: endpointOf(settings['agentEndpoint']),
    agentRingSeconds: numberTextAt(settings, 'agentRingSeconds', String(VOICE_RANGES.agentRingSeconds.default)),
    voicemailOutsideHours: boolAt(settings, 'voicemailOutsideHours', true),
    voicemailMaxSeconds: numberTextAt(settings, 'voicemailMaxSeconds', String(VOICE_RANGES.voicemailMaxSeconds.default)),
    survey: boolAt(settings, 'survey', true),
    callbackMaxAttempts: numberTextAt(settings, 'callbackMaxAttempts', String(VOICE_RANGES.callbackMaxAttempts.default)),
    callbackRetryMinutes: numberTextAt(settings, 'callbackRetryMinutes', String(VOICE_RANGES.callbackRetryMinutes.default)),
    twimlAppSid: textAt(settings, 'twimlAppSid'),
    apiKeySid: textAt(settings, 'apiKeySid'),
    secrets: blankSecrets(VOICE_SECRET_NAMES),
  };
}

/**
 * Emptied optionals disappear (the hub fills the defaults). The queue is the exception: the hub
 * keeps a stored `queueId` the body leaves out, so going back to the campaign's default sends null.
 */
export function voiceFormToSettings(form: VoiceSettingsForm, base: Settings): Settings {
  let settings: Settings = {
    ...base,
    accountSid: form.accountSid.trim(),
    callerId: compactPhone(form.callerId),
    recording: form.recording,
    agentEndpoint: form.agentEndpoint,
    voicemailOutsideHours: form.voicemailOutsideHours,
    survey: form.survey,
  };
  for (const key of ['webhookBaseUrl', 'apiBaseUrl', 'twimlAppSid', 'apiKeySid'] as const) settings = withOptionalText(settings, key, form[key]);
  for (const key of NUMBER_FIELDS) settings = withOptionalInt(settings, key, form[key]);
  const queueId = form.queueId.trim();
  if (queueId !== '') return { ...settings, queueId };
  return typeof base['queueId'] === 'string' ? { ...settings, queueId: null } : withOptionalText(settings, 'queueId', '');
}

export function validateVoiceForm(form: VoiceSettingsForm, secretsSet: readonly string[]): ClientProblems {
  const problems: ClientProblems = {};
  checkPattern(problems, 'settings.accountSid', form.accountSid, ACCOUNT_SID, 'v.twilioAccountSid');
  checkPattern(problems, 'settings.callerId', compactPhone(form.callerId), E164, 'v.e164');
  checkUrl(problems, 'settings.webhookBaseUrl', form.webhookBaseUrl, false);
  checkUrl(problems, 'settings.apiBaseUrl', form.apiBaseUrl, false);
  checkPattern(problems, 'settings.queueId', form.queueId, UUID, 'v.unknownQueue', false);
  for (const key of NUMBER_FIELDS) {
    const { min, max } = VOICE_RANGES[key];
    const problem = checkInt(form[key], min, max, false);
    if (problem) problems[`settings.${key}`] = problem;
  }
  checkPattern(problems, 'settings.twimlAppSid', form.twimlAppSid, APP_SID, 'v.twimlAppSid', false);
  checkPattern(problems, 'settings.apiKeySid', form.apiKeySid, API_KEY_SID, 'v.twilioApiKeySid', false);
  secretProblems(problems, form.secrets, REQUIRED_SECRETS, secretsSet);
  for (const [name, value] of Object.entries(form.secrets)) if (value.trim().length > HUB_SECRET_MAX) problems[`secrets.${name}`] = { key: 'v.maxLength', values: { max: HUB_SECRET_MAX } };
  return problems;
}

/**
 * Legal, but the browser softphone cannot work: the hub signs its access token with the API key
 * and names the TwiML App in it (hub/src/voice/agent/softphone-token.ts), so agents could not
 * take calls in the browser.
 */
export function voiceWarnings(form: VoiceSettingsForm, secretsSet: readonly string[]): ClientProblems {
  if (form.agentEndpoint !== 'client') return {};
  const keySecret = (form.secrets['apiKeySecret'] ?? '').trim() !== '' || secretsSet.includes('apiKeySecret');
  const missing = [form.twimlAppSid.trim() === '' ? 'TwiML App SID' : null, form.apiKeySid.trim() === '' ? 'API Key SID' : null, keySecret ? null : 'API Key Secret'].filter((m) => m !== null);
  return missing.length > 0 ? { 'settings.agentEndpoint': { key: 'voiceChannel.softphoneMissing', values: { names: missing.join(', ') } } } : {};
}
