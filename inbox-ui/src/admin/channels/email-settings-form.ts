import { checkInt, type ClientProblems } from '../form-problems.js';
import { boolAt, bytesToMbText, maxBytesFrom, MIB, numberTextAt, objectAt, textAt, without, type Settings } from './settings-read.js';

/**
 * The e-mail channel's settings (connectors/email/email-channel.schema.ts) and its two passwords
 * as form fields. Limits and defaults mirror the schema (the inbox bundle does without zod);
 * email-settings-form.test.ts checks them against the schema itself.
 */

export const EMAIL_SECRET_NAMES = ['imapPassword', 'smtpPassword'] as const;
export type EmailSecretName = (typeof EMAIL_SECRET_NAMES)[number];

/** The variables the acknowledgement can use (hub/src/email/auto-ack.usecase.ts fills these). */
export const ACK_VARIABLES = ['folio', 'name', 'subject'] as const;

export const EMAIL_LIMITS = {
  displayName: 200,
  host: 253,
  user: 320,
  mailbox: 255,
  ackSubject: 300,
  ackText: 10_000,
  secret: 500,
  maxBytes: { min: 1024, max: 50 * MIB },
} as const;

export const EMAIL_DEFAULTS = {
  imapPort: 993,
  imapSecure: true,
  mailbox: 'INBOX',
  smtpPort: 587,
  smtpSecure: false,
  ackEnabled: true,
  ackSubject: 'Re: {{subject}} [{{folio}}]',
  ackText: [
    'Recibimos su mensaje y lo registramos con el folio {{folio}}. Una persona de nuestro equipo le responderá a la brevedad.',
    '',
    'Si desea agregar información, responda a este correo conservando el folio [{{folio}}] en el asunto: así su mensaje se integra al mismo trámite.',
    '',
    'Este es un mensaje automático.',
  ].join('\n'),
  maxBytes: 10 * MIB,
} as const;

export interface EmailSettingsForm {
  address: string;
  displayName: string;
  imapHost: string;
  imapPort: string;
  imapSecure: boolean;
  imapUser: string;
  imapMailbox: string;
  smtpHost: string;
  smtpPort: string;
  smtpSecure: boolean;
  smtpUser: string;
  /** Typed in this session only: the hub never sends a password back. Empty = keep the stored one. */
  imapPassword: string;
  smtpPassword: string;
  ackEnabled: boolean;
  ackSubject: string;
  ackText: string;
  maxMb: string;
  storedMaxBytes: number | null;
}

/** The schema's host name rule (letters, digits, dashes, dot-separated labels). */
const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isHostname(value: string): boolean {
  return value.length <= EMAIL_LIMITS.host && HOSTNAME.test(value);
}

export function emptyEmailForm(): EmailSettingsForm {
  return emailSettingsToForm({});
}

export function emailSettingsToForm(settings: Settings): EmailSettingsForm {
  const imap = objectAt(settings, 'imap');
  const smtp = objectAt(settings, 'smtp');
  const ack = objectAt(settings, 'autoAck');
  const maxBytes = settings['maxAttachmentBytes'];
  const storedMaxBytes = typeof maxBytes === 'number' ? maxBytes : null;
  return {
    address: textAt(settings, 'address'),
    displayName: textAt(settings, 'displayName'),
    imapHost: textAt(imap, 'host'),
    imapPort: numberTextAt(imap, 'port', String(EMAIL_DEFAULTS.imapPort)),
    imapSecure: boolAt(imap, 'secure', EMAIL_DEFAULTS.imapSecure),
    imapUser: textAt(imap, 'user'),
    imapMailbox: textAt(imap, 'mailbox', EMAIL_DEFAULTS.mailbox),
    smtpHost: textAt(smtp, 'host'),
    smtpPort: numberTextAt(smtp, 'port', String(EMAIL_DEFAULTS.smtpPort)),
    smtpSecure: boolAt(smtp, 'secure', EMAIL_DEFAULTS.smtpSecure),
    smtpUser: textAt(smtp, 'user'),
    imapPassword: '',
    smtpPassword: '',
    ackEnabled: boolAt(ack, 'enabled', EMAIL_DEFAULTS.ackEnabled),
    ackSubject: textAt(ack, 'subject', EMAIL_DEFAULTS.ackSubject),
    ackText: textAt(ack, 'text', EMAIL_DEFAULTS.ackText),
    maxMb: bytesToMbText(storedMaxBytes ?? EMAIL_DEFAULTS.maxBytes),
    storedMaxBytes,
  };
}

/** A port as typed; null while it is not a whole number (validation says so; the stored one is kept meanwhile). */
function portOf(text: string): number | null {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(value) ? value : null;
}

/** The form written over the stored settings (`base`): keys it does not show (TLS checks, Message-ID domain) are kept. */
export function emailFormToSettings(form: EmailSettingsForm, base: Settings): Settings {
  const displayName = form.displayName.trim();
  const smtpUser = form.smtpUser.trim();
  const maxBytes = maxBytesFrom(form.maxMb, form.storedMaxBytes);
  const imapPort = portOf(form.imapPort);
  const smtpPort = portOf(form.smtpPort);
  return {
    ...without(base, 'displayName'),
    address: form.address.trim(),
    ...(displayName ? { displayName } : {}),
    imap: {
      ...objectAt(base, 'imap'),
      host: form.imapHost.trim(),
      ...(imapPort === null ? {} : { port: imapPort }),
      secure: form.imapSecure,
      user: form.imapUser.trim(),
      mailbox: form.imapMailbox.trim(),
    },
    smtp: {
      ...without(objectAt(base, 'smtp'), 'user'),
      host: form.smtpHost.trim(),
      ...(smtpPort === null ? {} : { port: smtpPort }),
      secure: form.smtpSecure,
      // No user = a relay that accepts the hub by network (no SMTP AUTH).
      ...(smtpUser ? { user: smtpUser } : {}),
    },
    autoAck: { ...objectAt(base, 'autoAck'), enabled: form.ackEnabled, subject: form.ackSubject, text: form.ackText },
    ...(maxBytes === null ? {} : { maxAttachmentBytes: maxBytes }),
  };
}

/** Only the passwords typed in this session; undefined when none was (the stored ones stay). */
export function emailFormToSecrets(form: EmailSettingsForm): Record<string, string> | undefined {
  const typed = Object.fromEntries(EMAIL_SECRET_NAMES.flatMap((name) => (form[name] === '' ? [] : [[name, form[name]]])));
  return Object.keys(typed).length > 0 ? typed : undefined;
}

function requiredText(problems: ClientProblems, path: string, value: string, max: number): void {
  const trimmed = value.trim();
  if (trimmed === '') problems[path] = { key: 'v.required' };
  else if (trimmed.length > max) problems[path] = { key: 'v.maxLength', values: { max } };
}

function host(problems: ClientProblems, path: string, value: string): void {
  const trimmed = value.trim();
  if (trimmed === '') problems[path] = { key: 'v.required' };
  else if (!isHostname(trimmed)) problems[path] = { key: 'v.hostname' };
}

/**
 * `secretsSet` names the passwords the hub already holds. The hub accepts a channel without them;
 * the form asks for the IMAP one (the mailbox cannot be read without it) and for the SMTP one
 * whenever an SMTP user is given.
 */
export function validateEmailForm(form: EmailSettingsForm, secretsSet: readonly string[]): ClientProblems {
  const problems: ClientProblems = {};
  const L = EMAIL_LIMITS;
  const address = form.address.trim();
  if (address === '') problems['settings.address'] = { key: 'v.required' };
  else if (!EMAIL.test(address)) problems['settings.address'] = { key: 'v.email' };
  if (form.displayName.trim().length > L.displayName) problems['settings.displayName'] = { key: 'v.maxLength', values: { max: L.displayName } };

  host(problems, 'settings.imap.host', form.imapHost);
  const imapPort = checkInt(form.imapPort, 1, 65_535);
  if (imapPort) problems['settings.imap.port'] = imapPort;
  requiredText(problems, 'settings.imap.user', form.imapUser, L.user);
  requiredText(problems, 'settings.imap.mailbox', form.imapMailbox, L.mailbox);

  host(problems, 'settings.smtp.host', form.smtpHost);
  const smtpPort = checkInt(form.smtpPort, 1, 65_535);
  if (smtpPort) problems['settings.smtp.port'] = smtpPort;
  if (form.smtpUser.trim().length > L.user) problems['settings.smtp.user'] = { key: 'v.maxLength', values: { max: L.user } };

  for (const name of EMAIL_SECRET_NAMES) {
    const path = `secrets.${name}`;
    const wanted = name === 'imapPassword' || form.smtpUser.trim() !== '';
    if (form[name].length > L.secret) problems[path] = { key: 'v.maxLength', values: { max: L.secret } };
    else if (wanted && form[name] === '' && !secretsSet.includes(name)) problems[path] = { key: 'v.required' };
  }

  if (form.ackSubject === '') problems['settings.autoAck.subject'] = { key: 'v.required' };
  else if (form.ackSubject.length > L.ackSubject) problems['settings.autoAck.subject'] = { key: 'v.maxLength', values: { max: L.ackSubject } };
  if (form.ackText === '') problems['settings.autoAck.text'] = { key: 'v.required' };
  else if (form.ackText.length > L.ackText) problems['settings.autoAck.text'] = { key: 'v.maxLength', values: { max: L.ackText } };

  const maxBytes = maxBytesFrom(form.maxMb, form.storedMaxBytes);
  if (form.maxMb.trim() === '') problems['settings.maxAttachmentBytes'] = { key: 'v.required' };
  else if (maxBytes === null || maxBytes < L.maxBytes.min || maxBytes > L.maxBytes.max) problems['settings.maxAttachmentBytes'] = { key: 'v.megabytes', values: { max: L.maxBytes.max / MIB } };
  return problems;
}

/** `{{ name }}` placeholders of a template that the hub does not fill (they would reach the citizen as ''). */
export function unknownAckVariables(template: string): string[] {
  const names = [...template.matchAll(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g)].map((m) => m[1] ?? '');
  return names.filter((name, i) => !ACK_VARIABLES.some((v) => v === name) && names.indexOf(name) === i);
}

/** Legal but probably not meant: shown while typing, never blocking a save. */
export function emailWarnings(form: EmailSettingsForm): ClientProblems {
  const warnings: ClientProblems = {};
  for (const [path, template] of [
    ['settings.autoAck.subject', form.ackSubject],
    ['settings.autoAck.text', form.ackText],
  ] as const) {
    const unknown = unknownAckVariables(template);
    if (unknown.length > 0) warnings[path] = { key: 'emailChannel.unknownVariables', values: { names: unknown.map((n) => `{{${n}}}`).join(', ') } };
  }
  if (form.ackEnabled && !/\{\{\s*folio\s*\}\}/.test(form.ackSubject)) warnings['settings.autoAck.subject'] ??= { key: 'emailChannel.subjectWithoutFolio' };
  return warnings;
}
