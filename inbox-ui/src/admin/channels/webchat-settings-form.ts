import { AA_TEXT, contrastRatio } from '../../widget/contrast.js';
import { checkInt, type ClientProblems } from '../form-problems.js';
import { boolAt, bytesToMbText, isSettings, maxBytesFrom, MIB, numberTextAt, objectAt, textAt, type Settings } from './settings-read.js';

/**
 * The web chat channel's settings (connectors/webchat/webchat-channel.schema.ts) as form fields.
 * The limits and defaults are the schema's, mirrored because the inbox bundle does without zod;
 * webchat-settings-form.test.ts parses this module's output with the schema itself.
 */

export const PRECHAT_FIELD_NAMES = ['name', 'email', 'phone', 'topic'] as const;
export type PrechatFieldName = (typeof PRECHAT_FIELD_NAMES)[number];

export const WIDGET_LOCALES = ['es-MX', 'en'] as const;
export type WidgetLocale = (typeof WIDGET_LOCALES)[number];
export const WIDGET_POSITIONS = ['bottom-right', 'bottom-left'] as const;
export type WidgetPosition = (typeof WIDGET_POSITIONS)[number];
export const CAPTCHA_KINDS = ['pow', 'none'] as const;
export type CaptchaKind = (typeof CAPTCHA_KINDS)[number];

export const WEBCHAT_LIMITS = {
  title: 80,
  closedMessage: 1000,
  origins: 50,
  origin: 200,
  topics: 50,
  topicId: 60,
  topicLabel: 120,
  difficulty: { min: 8, max: 24 },
  maxBytes: { min: 1024, max: 50 * MIB },
  accept: { items: 30, min: 3, max: 127 },
} as const;

export const WEBCHAT_DEFAULTS = {
  title: 'Atención ciudadana',
  locale: 'es-MX',
  primary: '#0b5c4c',
  onPrimary: '#ffffff',
  position: 'bottom-right',
  prechat: [
    { name: 'name', required: true },
    { name: 'email', required: false },
    { name: 'phone', required: false },
    { name: 'topic', required: false },
  ],
  closedMessage:
    'En este momento estamos fuera del horario de atención (lunes a viernes de 8:00 a 20:00 h, hora del centro de México, excepto días festivos). Puede dejarnos un mensaje y le responderemos por correo electrónico.',
  leaveMessage: true,
  captcha: 'pow',
  difficulty: 16,
  attachmentsEnabled: true,
  maxBytes: 5 * MIB,
  accept: [
    'application/pdf',
    'image/jpeg',
    'image/png',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'text/plain',
  ],
  maskIp: true,
} as const satisfies {
  locale: WidgetLocale;
  position: WidgetPosition;
  captcha: CaptchaKind;
  prechat: readonly { name: PrechatFieldName; required: boolean }[];
} & Record<string, unknown>;

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export interface PrechatFieldForm {
  name: PrechatFieldName;
  ask: boolean;
  required: boolean;
}

export interface WebchatSettingsForm {
  title: string;
  locale: WidgetLocale;
  primary: string;
  onPrimary: string;
  position: WidgetPosition;
  /** One origin per line. */
  origins: string;
  /** Every field, in the order the widget shows them; `ask: false` ones are left out when saved. */
  prechat: PrechatFieldForm[];
  topics: { id: string; label: string }[];
  closedMessage: string;
  leaveMessage: boolean;
  captcha: CaptchaKind;
  difficulty: string;
  attachmentsEnabled: boolean;
  maxMb: string;
  storedMaxBytes: number | null;
  /** MIME types, comma-separated. */
  accept: string;
  maskIp: boolean;
}

/** `https://www.gob.mx` or `http://localhost:8080`: scheme, host and port only, as browsers send Origin (the schema's rule). */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/** Lines → origins: trimmed, blank lines dropped, repeats removed. */
export function parseOrigins(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.filter((line, i) => lines.indexOf(line) === i);
}

export function parseAccept(text: string): string[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.filter((item, i) => items.indexOf(item) === i);
}

/** WCAG contrast of the header text on the brand colour, or null while either is not #RRGGBB. */
export function headerContrast(form: Pick<WebchatSettingsForm, 'primary' | 'onPrimary'>): number | null {
  if (!HEX_COLOR.test(form.primary.trim()) || !HEX_COLOR.test(form.onPrimary.trim())) return null;
  return contrastRatio(form.primary.trim(), form.onPrimary.trim());
}

function oneOf<T extends string>(values: readonly T[], value: unknown, fallback: T): T {
  return values.find((v) => v === value) ?? fallback;
}

function prechatFromSettings(prechat: Settings): PrechatFieldForm[] {
  const stored = Array.isArray(prechat['fields']) ? prechat['fields'] : WEBCHAT_DEFAULTS.prechat;
  const asked: PrechatFieldForm[] = [];
  for (const field of stored) {
    if (!isSettings(field)) continue;
    const name = PRECHAT_FIELD_NAMES.find((n) => n === field['name']);
    if (name && !asked.some((f) => f.name === name)) asked.push({ name, ask: true, required: field['required'] === true });
  }
  const rest = PRECHAT_FIELD_NAMES.filter((n) => !asked.some((f) => f.name === n)).map((name): PrechatFieldForm => ({ name, ask: false, required: false }));
  return [...asked, ...rest];
}

function topicsFromSettings(prechat: Settings): { id: string; label: string }[] {
  const topics = Array.isArray(prechat['topics']) ? prechat['topics'] : [];
  return topics.filter(isSettings).map((t) => ({ id: textAt(t, 'id'), label: textAt(t, 'label') }));
}

export function emptyWebchatForm(): WebchatSettingsForm {
  return webchatSettingsToForm({});
}

export function webchatSettingsToForm(settings: Settings): WebchatSettingsForm {
  const colors = objectAt(settings, 'colors');
  const prechat = objectAt(settings, 'prechat');
  const captcha = objectAt(settings, 'captcha');
  const attachments = objectAt(settings, 'attachments');
  const maxBytes = attachments['maxBytes'];
  const storedMaxBytes = typeof maxBytes === 'number' ? maxBytes : null;
  const accept = Array.isArray(attachments['accept']) ? attachments['accept'].filter((a): a is string => typeof a === 'string') : [...WEBCHAT_DEFAULTS.accept];
  const origins = Array.isArray(settings['allowedOrigins']) ? settings['allowedOrigins'].filter((o): o is string => typeof o === 'string') : [];
  return {
    title: textAt(settings, 'title', WEBCHAT_DEFAULTS.title),
    locale: oneOf(WIDGET_LOCALES, settings['locale'], WEBCHAT_DEFAULTS.locale),
    primary: textAt(colors, 'primary', WEBCHAT_DEFAULTS.primary),
    onPrimary: textAt(colors, 'onPrimary', WEBCHAT_DEFAULTS.onPrimary),
    position: oneOf(WIDGET_POSITIONS, settings['position'], WEBCHAT_DEFAULTS.position),
    origins: origins.join('\n'),
    prechat: prechatFromSettings(prechat),
    topics: topicsFromSettings(prechat),
    closedMessage: textAt(settings, 'closedMessage', WEBCHAT_DEFAULTS.closedMessage),
    leaveMessage: boolAt(settings, 'leaveMessage', WEBCHAT_DEFAULTS.leaveMessage),
    captcha: oneOf(CAPTCHA_KINDS, captcha['kind'], WEBCHAT_DEFAULTS.captcha),
    difficulty: numberTextAt(captcha, 'difficulty', String(WEBCHAT_DEFAULTS.difficulty)),
    attachmentsEnabled: boolAt(attachments, 'enabled', WEBCHAT_DEFAULTS.attachmentsEnabled),
    maxMb: bytesToMbText(storedMaxBytes ?? WEBCHAT_DEFAULTS.maxBytes),
    storedMaxBytes,
    accept: accept.join(', '),
    maskIp: boolAt(settings, 'maskIp', WEBCHAT_DEFAULTS.maskIp),
  };
}

/** The form written over the stored settings (`base`): keys the form does not show are kept. */
export function webchatFormToSettings(form: WebchatSettingsForm, base: Settings): Settings {
  // With the CAPTCHA off the difficulty field is hidden: an unusable value there keeps the stored one.
  const difficulty = checkInt(form.difficulty, WEBCHAT_LIMITS.difficulty.min, WEBCHAT_LIMITS.difficulty.max) === null || form.captcha === 'pow' ? Number(form.difficulty.trim()) : null;
  const maxBytes = maxBytesFrom(form.maxMb, form.storedMaxBytes);
  return {
    ...base,
    title: form.title.trim(),
    locale: form.locale,
    colors: { ...objectAt(base, 'colors'), primary: form.primary.trim(), onPrimary: form.onPrimary.trim() },
    position: form.position,
    allowedOrigins: parseOrigins(form.origins),
    prechat: {
      ...objectAt(base, 'prechat'),
      fields: form.prechat.filter((f) => f.ask).map((f) => ({ name: f.name, required: f.required })),
      topics: form.topics.map((t) => ({ id: t.id.trim(), label: t.label.trim() })),
    },
    closedMessage: form.closedMessage.trim(),
    leaveMessage: form.leaveMessage,
    captcha: { ...objectAt(base, 'captcha'), kind: form.captcha, ...(difficulty === null ? {} : { difficulty }) },
    attachments: {
      ...objectAt(base, 'attachments'),
      enabled: form.attachmentsEnabled,
      ...(maxBytes === null ? {} : { maxBytes }),
      accept: parseAccept(form.accept),
    },
    maskIp: form.maskIp,
  };
}

function requiredText(problems: ClientProblems, path: string, value: string, max: number): void {
  const trimmed = value.trim();
  if (trimmed === '') problems[path] = { key: 'v.required' };
  else if (trimmed.length > max) problems[path] = { key: 'v.maxLength', values: { max } };
}

export function validateWebchatForm(form: WebchatSettingsForm): ClientProblems {
  const problems: ClientProblems = {};
  const L = WEBCHAT_LIMITS;
  requiredText(problems, 'settings.title', form.title, L.title);
  if (!HEX_COLOR.test(form.primary.trim())) problems['settings.colors.primary'] = { key: 'v.hexColor' };
  if (!HEX_COLOR.test(form.onPrimary.trim())) problems['settings.colors.onPrimary'] = { key: 'v.hexColor' };

  const origins = parseOrigins(form.origins);
  if (origins.length === 0) problems['settings.allowedOrigins'] = { key: 'v.originsRequired' };
  else if (origins.length > L.origins) problems['settings.allowedOrigins'] = { key: 'v.maxItems', values: { max: L.origins } };
  origins.forEach((origin, i) => {
    if (origin.length > L.origin || !isOrigin(origin)) problems[`settings.allowedOrigins.${i}`] = { key: 'v.origin', values: { value: origin } };
  });

  if (form.topics.length > L.topics) problems['settings.prechat.topics'] = { key: 'v.maxItems', values: { max: L.topics } };
  form.topics.forEach((topic, i) => {
    const path = `settings.prechat.topics.${i}`;
    requiredText(problems, `${path}.id`, topic.id, L.topicId);
    requiredText(problems, `${path}.label`, topic.label, L.topicLabel);
    if (!problems[`${path}.id`] && form.topics.findIndex((t) => t.id.trim() === topic.id.trim()) < i) problems[`${path}.id`] = { key: 'v.duplicate' };
  });

  requiredText(problems, 'settings.closedMessage', form.closedMessage, L.closedMessage);
  if (form.captcha === 'pow') {
    const difficulty = checkInt(form.difficulty, L.difficulty.min, L.difficulty.max);
    if (difficulty) problems['settings.captcha.difficulty'] = difficulty;
  }

  const maxBytes = maxBytesFrom(form.maxMb, form.storedMaxBytes);
  if (form.maxMb.trim() === '') problems['settings.attachments.maxBytes'] = { key: 'v.required' };
  else if (maxBytes === null || maxBytes < L.maxBytes.min || maxBytes > L.maxBytes.max) problems['settings.attachments.maxBytes'] = { key: 'v.megabytes', values: { max: L.maxBytes.max / MIB } };
  const accept = parseAccept(form.accept);
  const badType = accept.find((type) => type.length < L.accept.min || type.length > L.accept.max || !/^[^\s/]+\/[^\s/]+$/.test(type));
  if (accept.length === 0) problems['settings.attachments.accept'] = { key: 'v.required' };
  else if (accept.length > L.accept.items) problems['settings.attachments.accept'] = { key: 'v.maxItems', values: { max: L.accept.items } };
  else if (badType !== undefined) problems['settings.attachments.accept'] = { key: 'v.mimeType', values: { value: badType } };
  return problems;
}

/** Legal but probably not meant: shown while typing, never blocking a save. */
export function webchatWarnings(form: WebchatSettingsForm): ClientProblems {
  const warnings: ClientProblems = {};
  const ratio = headerContrast(form);
  if (ratio !== null && ratio < AA_TEXT) warnings['settings.colors.onPrimary'] = { key: 'webchat.contrastLow', values: { ratio: formatRatio(ratio), min: AA_TEXT } };
  // The schema's default asks an optional topic with no topics (the hub then skips the field);
  // a required topic with nothing to choose is the case that is surely not meant.
  if (form.prechat.some((f) => f.name === 'topic' && f.ask && f.required) && form.topics.length === 0) warnings['settings.prechat.topics'] = { key: 'webchat.topicsMissing' };
  return warnings;
}

/** 7.94 → "7.9:1" (rounded down, so "4.5:1" is never shown for 4.47). */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 10) / 10).toFixed(1)}:1`;
}
