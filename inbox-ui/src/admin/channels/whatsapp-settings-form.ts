import { missingPlaceholders, templateVariableCount } from '../../composer/template-body.js';
import type { ClientProblems } from '../form-problems.js';
import { checkInt } from '../form-problems.js';
import { blankSecrets, checkPattern, checkUrl, secretProblems, withOptionalInt, withOptionalText } from './provided-secrets.js';
import { isSettings, numberTextAt, textAt, type Settings } from './settings-read.js';

/**
 * The WhatsApp Cloud API channel (connectors/whatsapp/whatsapp-channel.schema.ts): the phone
 * number's Graph id, the API version and host, the send-rate cap, the catalogue of templates
 * approved in WhatsApp Manager, and three credentials from Meta's app dashboard.
 * whatsapp-settings-form.test.ts checks the output against the schema itself.
 */

export const WHATSAPP_SECRET_NAMES = ['accessToken', 'appSecret', 'verifyToken'] as const;
export const TEMPLATE_CATEGORIES = ['utility', 'marketing', 'authentication'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export const WHATSAPP_DEFAULTS = { graphApiVersion: 'v21.0', graphBaseUrl: 'https://graph.facebook.com', language: 'es_MX' } as const;
export const TEMPLATE_LIMITS = { body: 1024, language: { min: 2, max: 15 }, templates: 500 } as const;
const GRAPH_ID = /^\d{1,32}$/;
const GRAPH_VERSION = /^v\d{1,3}\.\d{1,3}$/;
const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;

export interface TemplateRowForm {
  name: string;
  language: string;
  category: TemplateCategory | '';
  body: string;
}

export interface WhatsAppSettingsForm {
  phoneNumberId: string;
  businessAccountId: string;
  graphApiVersion: string;
  graphBaseUrl: string;
  maxSendsPerSecond: string;
  templates: TemplateRowForm[];
  /** Typed in this session only; empty = keep the stored one. */
  secrets: Record<string, string>;
}

function categoryOf(value: unknown): TemplateCategory | '' {
  return TEMPLATE_CATEGORIES.find((c) => c === value) ?? '';
}

export function emptyTemplateRow(): TemplateRowForm {
  return { name: '', language: WHATSAPP_DEFAULTS.language, category: 'utility', body: '' };
}

export function whatsappSettingsToForm(settings: Settings): WhatsAppSettingsForm {
  const templates = Array.isArray(settings['templates']) ? settings['templates'].filter(isSettings) : [];
  return {
    phoneNumberId: textAt(settings, 'phoneNumberId'),
    businessAccountId: textAt(settings, 'businessAccountId'),
    graphApiVersion: textAt(settings, 'graphApiVersion', WHATSAPP_DEFAULTS.graphApiVersion),
    graphBaseUrl: textAt(settings, 'graphBaseUrl', WHATSAPP_DEFAULTS.graphBaseUrl),
    maxSendsPerSecond: numberTextAt(settings, 'maxSendsPerSecond', ''),
    templates: templates.map((t) => ({ name: textAt(t, 'name'), language: textAt(t, 'language'), category: categoryOf(t['category']), body: textAt(t, 'body') })),
    secrets: blankSecrets(WHATSAPP_SECRET_NAMES),
  };
}

/** The variables count is derived from the body (its highest `{{n}}`), never typed. */
export function whatsappFormToSettings(form: WhatsAppSettingsForm, base: Settings): Settings {
  let settings: Settings = {
    ...base,
    phoneNumberId: form.phoneNumberId.trim(),
    graphApiVersion: form.graphApiVersion.trim(),
    graphBaseUrl: form.graphBaseUrl.trim(),
    templates: form.templates.map((t) => ({
      name: t.name.trim(),
      language: t.language.trim(),
      ...(t.category ? { category: t.category } : {}),
      body: t.body,
      variables: templateVariableCount(t.body),
    })),
  };
  settings = withOptionalText(settings, 'businessAccountId', form.businessAccountId);
  return withOptionalInt(settings, 'maxSendsPerSecond', form.maxSendsPerSecond);
}

export function validateWhatsAppForm(form: WhatsAppSettingsForm, secretsSet: readonly string[]): ClientProblems {
  const problems: ClientProblems = {};
  checkPattern(problems, 'settings.phoneNumberId', form.phoneNumberId, GRAPH_ID, 'v.graphId');
  checkPattern(problems, 'settings.businessAccountId', form.businessAccountId, GRAPH_ID, 'v.graphId', false);
  checkPattern(problems, 'settings.graphApiVersion', form.graphApiVersion, GRAPH_VERSION, 'v.graphVersion');
  checkUrl(problems, 'settings.graphBaseUrl', form.graphBaseUrl);
  const rate = checkInt(form.maxSendsPerSecond, 1, 1000, false);
  if (rate) problems['settings.maxSendsPerSecond'] = rate;
  if (form.templates.length > TEMPLATE_LIMITS.templates) problems['settings.templates'] = { key: 'v.maxItems', values: { max: TEMPLATE_LIMITS.templates } };
  const seen = new Set<string>();
  form.templates.forEach((t, i) => {
    const at = `settings.templates.${i}`;
    checkPattern(problems, `${at}.name`, t.name, TEMPLATE_NAME, 'v.templateName');
    const language = t.language.trim();
    if (language === '') problems[`${at}.language`] = { key: 'v.required' };
    else if (language.length < TEMPLATE_LIMITS.language.min || language.length > TEMPLATE_LIMITS.language.max) problems[`${at}.language`] = { key: 'v.templateLanguage' };
    if (t.body.trim() === '') problems[`${at}.body`] = { key: 'v.required' };
    else if (t.body.length > TEMPLATE_LIMITS.body) problems[`${at}.body`] = { key: 'v.maxLength', values: { max: TEMPLATE_LIMITS.body } };
    const key = `${t.name.trim()}/${language}`;
    if (seen.has(key)) problems[`${at}.name`] ??= { key: 'v.duplicate' };
    seen.add(key);
  });
  secretProblems(problems, form.secrets, WHATSAPP_SECRET_NAMES, secretsSet);
  return problems;
}

/** Legal, but Meta never approves a body that skips a number (`{{1}} … {{3}}`): the send would fail. */
export function whatsappWarnings(form: WhatsAppSettingsForm): ClientProblems {
  const warnings: ClientProblems = {};
  form.templates.forEach((t, i) => {
    const missing = missingPlaceholders(t.body);
    if (missing.length > 0) warnings[`settings.templates.${i}.body`] = { key: 'waChannel.placeholderGap', values: { names: missing.map((n) => `{{${n}}}`).join(', ') } };
  });
  return warnings;
}
