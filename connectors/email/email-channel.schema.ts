import { z } from 'zod';

const MIB = 1024 * 1024;
const hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i, 'not a host name');

export const DEFAULT_AUTO_ACK_SUBJECT = 'Re: {{subject}} [{{folio}}]';
export const DEFAULT_AUTO_ACK_TEXT = [
  'Recibimos su mensaje y lo registramos con el folio {{folio}}. Una persona de nuestro equipo le responderá a la brevedad.',
  '',
  'Si desea agregar información, responda a este correo conservando el folio [{{folio}}] en el asunto: así su mensaje se integra al mismo trámite.',
  '',
  'Este es un mensaje automático.',
].join('\n');

/**
 * Settings of an e-mail channel (non-secret): one mailbox read over IMAP and answered over SMTP.
 * The passwords (`imapPassword`, `smtpPassword`) are channel secrets, stored apart.
 */
export const emailChannelSettingsSchema = z.object({
  /** The mailbox's public address: the From of everything we send. */
  address: z.email(),
  displayName: z.string().trim().min(1).max(200).optional(),
  imap: z.object({
    host: hostname,
    port: z.number().int().min(1).max(65_535).default(993),
    secure: z.boolean().default(true),
    user: z.string().min(1).max(320),
    mailbox: z.string().min(1).max(255).default('INBOX'),
    rejectUnauthorized: z.boolean().default(true),
  }),
  smtp: z.object({
    host: hostname,
    /** 587 + STARTTLS (RFC 6409) by default; 465 with `secure: true` for implicit TLS. */
    port: z.number().int().min(1).max(65_535).default(587),
    secure: z.boolean().default(false),
    /** Absent for relays that accept the hub by network (no AUTH). */
    user: z.string().min(1).max(320).optional(),
    rejectUnauthorized: z.boolean().default(true),
  }),
  /** The acknowledgement with the folio (issue 5 item 9); `{{folio}}` and `{{name}}` are filled in. */
  autoAck: z
    .object({
      enabled: z.boolean().default(true),
      subject: z.string().min(1).max(300).default(DEFAULT_AUTO_ACK_SUBJECT),
      text: z.string().min(1).max(10_000).default(DEFAULT_AUTO_ACK_TEXT),
    })
    .prefault({}),
  /** Right-hand side of the Message-IDs we generate; defaults to the domain of `address`. */
  messageIdDomain: hostname.optional(),
  maxAttachmentBytes: z
    .number()
    .int()
    .min(1024)
    .max(50 * MIB)
    .default(10 * MIB),
});
export type EmailChannelSettings = z.infer<typeof emailChannelSettingsSchema>;

/** The channel's secrets; the SMTP password is only needed when `smtp.user` is set. */
export const emailChannelSecretsSchema = z.object({
  imapPassword: z.string().min(1),
  smtpPassword: z.string().min(1).optional(),
});
export type EmailChannelSecrets = z.infer<typeof emailChannelSecretsSchema>;

/** Fills `{{name}}` placeholders; an unknown name becomes '' (a template typo must not leak braces to a citizen). */
export function renderEmailTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (_match, name: string) => (Object.hasOwn(vars, name) ? (vars[name] ?? '') : ''));
}

/** The domain our Message-IDs carry (RFC 5322 §3.6.4: unique left side, a domain we control on the right). */
export function messageIdDomainOf(settings: Pick<EmailChannelSettings, 'address' | 'messageIdDomain'>): string {
  return settings.messageIdDomain ?? settings.address.slice(settings.address.lastIndexOf('@') + 1).toLowerCase();
}
