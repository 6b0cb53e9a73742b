import type { Readable } from 'node:stream';
import type { ChannelSecrets, EncodedOutbound, SendContext, SendResult } from '../core/channel-adapter.js';
import type { EmailChannelSettings } from './email-channel.schema.js';
import { encodedEmailSchema, type EncodedEmail } from './email-encoded.schema.js';
import { smtpTransportFor } from './email-transport.js';

type MailAttachment = { filename: string; contentType: string; content: Readable } | { filename: string; contentType: string; href: string };

/** Socket-level failures: the server was not reached or dropped us; another attempt may work. */
const CONNECTION_ERRORS = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNREFUSED', 'ECONNRESET', 'EDNS', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPROTOCOL']);

/** The e-mail channel's only I/O: one message over SMTP (nodemailer, pooled). */
export async function sendEmail(encoded: EncodedOutbound, settings: EmailChannelSettings, secrets: ChannelSecrets, context: SendContext): Promise<SendResult> {
  const parsed = encodedEmailSchema.safeParse(encoded.body);
  if (!parsed.success) return { ok: false, retryable: false, code: 'invalid_payload', reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const mail = parsed.data;
  if (!mail.to) return { ok: false, retryable: false, code: 'no_email_address', reason: 'El contacto no tiene dirección de correo / the contact has no e-mail address' };
  const password = secrets['smtpPassword'];
  if (settings.smtp.user && !password) return { ok: false, retryable: false, code: 'smtp_auth_missing', reason: 'El canal no tiene contraseña SMTP / channel has no SMTP password' };

  const attachments = await openAttachments(mail, context);
  if ('missing' in attachments) {
    return { ok: false, retryable: false, code: 'attachment_missing', reason: `No se encontró el archivo adjunto / attachment not found: ${attachments.missing}` };
  }
  try {
    await smtpTransportFor(settings.smtp, password).sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      messageId: mail.messageId,
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
      ...(mail.references ? { references: mail.references } : {}),
      text: mail.text,
      html: mail.html,
      attachments: attachments.files,
      headers: mail.headers,
    });
  } catch (error) {
    closeStreams(attachments.files);
    return smtpFailure(error);
  }
  return { ok: true, providerMessageId: mail.messageId };
}

async function openAttachments(mail: EncodedEmail, context: SendContext): Promise<{ files: MailAttachment[] } | { missing: string }> {
  const files: MailAttachment[] = [];
  for (const attachment of mail.attachments) {
    if (attachment.fileId) {
      const opened = context.openFile ? await context.openFile(attachment.fileId) : null;
      if (!opened) {
        closeStreams(files);
        return { missing: attachment.filename };
      }
      files.push({ filename: attachment.filename || opened.filename, contentType: attachment.contentType || opened.mimeType, content: opened.content });
    } else if (attachment.url) {
      files.push({ filename: attachment.filename, contentType: attachment.contentType, href: attachment.url });
    } else {
      closeStreams(files);
      return { missing: attachment.filename };
    }
  }
  return { files };
}

function closeStreams(files: MailAttachment[]): void {
  for (const file of files) if ('content' in file) file.content.destroy();
}

/**
 * RFC 5321 §4.2.1: 5yz is a permanent refusal (retrying repeats it), 4yz a transient one
 * (greylisting, a full queue). Without a reply code it was the connection.
 */
function smtpFailure(error: unknown): SendResult {
  const details = error instanceof Error ? error : new Error(String(error));
  const responseCode = 'responseCode' in details && typeof details.responseCode === 'number' ? details.responseCode : undefined;
  const code = 'code' in details && typeof details.code === 'string' ? details.code : undefined;
  const response = 'response' in details && typeof details.response === 'string' ? details.response : undefined;
  const reason = (response ?? details.message).slice(0, 1000);
  if (responseCode !== undefined && responseCode >= 500) return { ok: false, retryable: false, code: `smtp_${responseCode}`, reason };
  if (responseCode !== undefined && responseCode >= 400) return { ok: false, retryable: true, code: `smtp_${responseCode}`, reason };
  if (code && CONNECTION_ERRORS.has(code)) return { ok: false, retryable: true, code: 'network_error', reason: `${code}: ${reason}` };
  if (code === 'EAUTH') return { ok: false, retryable: false, code: 'smtp_auth_failed', reason };
  return { ok: false, retryable: true, code: 'smtp_error', reason: code ? `${code}: ${reason}` : reason };
}
