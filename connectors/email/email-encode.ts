import type { OutboundMessage } from '../core/outbound-message.js';
import { messageIdDomainOf, type EmailChannelSettings } from './email-channel.schema.js';
import type { EncodedEmail } from './email-encoded.schema.js';
import { messageIdsIn } from './email-headers.js';

/** A hub-stored file's download path (hub/src/files/file-links.ts `filePath`): the bytes are read through ctx.openFile. */
const HUB_FILE_PATH = /^\/(?:api\/v\d+\/)?files\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[?#]|$)/i;

/**
 * Our reply as an e-mail (pure). Threading (RFC 5322 §3.6.4): our Message-ID derives from the
 * message id, so a retried send carries the same one and the citizen's client dedupes it;
 * In-Reply-To/References come from the thread the hub built. The folio goes in the subject
 * and the footer, so a reply threads by folio even when the client drops the headers.
 */
export function encodeEmail(message: OutboundMessage, settings: EmailChannelSettings): EncodedEmail {
  const tag = `[${message.folio}]`;
  const base = oneLine(message.thread?.subject ?? '') || `Folio ${tag}`;
  const subject = base.includes(tag) ? base : `${base} ${tag}`;
  const inReplyTo = messageIdsIn(message.thread?.inReplyTo)[0];
  const references = (message.thread?.references ?? []).flatMap((r) => messageIdsIn(r)).slice(-100);
  const body = message.content.text ?? '';
  const footer = `Folio: ${message.folio} — responda a este correo conservando el folio en el asunto.`;
  const system = message.sender.type === 'system';
  return {
    from: { name: fromName(message, settings), address: settings.address },
    ...(message.to.email ? { to: message.to.email } : {}),
    subject: subject.slice(0, 998),
    messageId: `<${message.id}@${messageIdDomainOf(settings)}>`,
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(references.length > 0 ? { references } : {}),
    // "-- " (RFC 3676 §4.3) marks the footer as a signature: clients leave it out of quotes.
    text: `${body.trim() ? `${body.trimEnd()}\n\n` : ''}-- \n${footer}\n`,
    html: htmlDocument(body, footer),
    attachments: 'attachments' in message.content ? message.content.attachments.map(toAttachment) : [],
    // RFC 3834 §5: what the hub says on its own (acknowledgements, notices) is marked so that
    // other responders never answer it, and asks Exchange not to send us its auto-replies.
    headers: system ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {},
  };
}

/** "Agent (Mailbox)" for an agent's reply, as help desks do, so the citizen sees who answered. */
function fromName(message: OutboundMessage, settings: EmailChannelSettings): string {
  const agent = message.sender.type === 'agent' ? oneLine(message.sender.name ?? '') : '';
  const mailbox = settings.displayName ?? '';
  if (!agent) return mailbox;
  return mailbox ? `${agent} (${mailbox})` : agent;
}

function toAttachment(attachment: { fileId?: string | undefined; url?: string | undefined; filename?: string | undefined; mimeType?: string | undefined }): EncodedEmail['attachments'][number] {
  const fileId = attachment.fileId ?? HUB_FILE_PATH.exec(attachment.url ?? '')?.[1];
  const remote = attachment.url && /^https?:\/\//i.test(attachment.url) ? attachment.url : undefined;
  return {
    ...(fileId ? { fileId } : {}),
    filename: (attachment.filename ?? 'adjunto').slice(0, 255),
    contentType: attachment.mimeType ?? 'application/octet-stream',
    ...(!fileId && remote ? { url: remote } : {}),
  };
}

function htmlDocument(body: string, footer: string): string {
  const paragraphs = body
    .trim()
    .split(/\r?\n\s*\r?\n/)
    .filter((p) => p.trim())
    .map((p) => `<p>${linkify(escapeHtml(p)).replace(/\r?\n/g, '<br>\n')}</p>`)
    .join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="es-MX"><head><meta charset="utf-8"></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.45;color:#1a1a1a">',
    paragraphs,
    `<p style="margin-top:24px;padding-top:8px;border-top:1px solid #cccccc;color:#555555;font-size:13px">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
}

function linkify(escaped: string): string {
  return escaped.replace(/\bhttps?:\/\/[^\s<>"]+?(?=[.,;:!?)]*(?:\s|$|<))/gi, (url) => `<a href="${url}">${url}</a>`);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Header text on one line: a subject is citizen input, and CR/LF in a header is an injection. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
