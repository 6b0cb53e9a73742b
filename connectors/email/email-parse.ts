import { createHash } from 'node:crypto';
import { DecodeError } from '../core/channel-adapter.js';
import type { ContactRef, EmailMeta, InboundMessageEvent } from '../core/inbound-event.js';
import { classifyAutomated } from './email-classify.js';
import { stripControls } from './email-controls.js';
import { parseDeliveryReport, type DsnReport } from './email-dsn.js';
import { firstHeader, messageIdsIn } from './email-headers.js';
import { emailHtmlToText } from './email-html-text.js';
import { readMail, type MailPart, type MailView } from './email-read.js';
import { sanitizeEmailHtml } from './email-sanitize.js';

export interface ParsedEmailAttachment {
  filename: string;
  mimeType: string;
  content: Buffer;
  size: number;
  /** Without angle brackets, as `cid:` references in the sanitised HTML name it. */
  contentId?: string;
  inline: boolean;
}

export interface ParsedEmail {
  /**
   * The message. With attachments its content is `file` with `attachments: []` LEFT EMPTY: the
   * hub stores `attachments` below and fills in their fileIds before the event is enqueued (the
   * inbound schema needs at least one). `email.rawFileId` is the hub's to set too.
   */
  event: InboundMessageEvent;
  /** Real attachments and inline images; oversize ones are in `omitted` instead. */
  attachments: ParsedEmailAttachment[];
  /** Left out (and named in the text); the raw .eml still holds them. */
  omitted: { filename: string; size: number; reason: 'too_large' }[];
  /** Set for delivery status notifications: the hub marks our message failed. */
  bounce?: DsnReport;
}

export interface ParseEmailOptions {
  maxAttachmentBytes: number;
  receivedAt?: Date;
}

const MAX_TEXT = 20_000;
const CUT_AT = 19_900;
const TRUNCATED_NOTE = '\n\n[Mensaje recortado: el texto completo está en el correo original (.eml).]';
const EMPTY_TEXT = '(sin contenido)';
const UNREADABLE_TEXT = '(correo no legible; se conserva el original)';
const FOLIO = /\[([A-Z]{2,5}-\d{8}-\d{6})\]/;
const DAY_MS = 86_400_000;

/**
 * The inbound decoder the hub's IMAP reader calls for each message. Never throws on a bad
 * message (broken MIME, bad encodings, missing headers, binary garbage): the worst case is a
 * text message saying the mail was unreadable, and the hub keeps the raw .eml. Only an empty
 * buffer, which is not a message at all, is a DecodeError.
 */
export async function parseEmail(raw: Buffer, options: ParseEmailOptions): Promise<ParsedEmail> {
  if (raw.length === 0) throw new DecodeError('empty message: nothing to decode');
  const now = options.receivedAt ?? new Date();
  const view = await readMail(raw);
  const automated = classifyAutomated(view.headers);
  const messageId = messageIdsIn(firstHeader(view.headers, 'message-id'))[0] ?? `<${sha256(raw)}@missing-message-id>`;

  const attachments: ParsedEmailAttachment[] = [];
  const omitted: ParsedEmail['omitted'] = [];
  view.parts.forEach((part, index) => {
    const filename = filenameOf(part, index);
    if (part.content.length > options.maxAttachmentBytes) omitted.push({ filename, size: part.content.length, reason: 'too_large' });
    else attachments.push(toAttachment(part, filename));
  });

  const html = view.html === undefined ? undefined : sanitizeEmailHtml(view.html).trim();
  const bodyText = view.unreadable ? UNREADABLE_TEXT : stripControls(view.text ?? (html ? emailHtmlToText(html) : '')).trim();
  const text = fit(bodyText, omitted.map((o) => omittedNote(o, options.maxAttachmentBytes)));
  const bounce = parseDeliveryReport({ attachments: view.parts, text: view.text, inReplyTo: firstHeader(view.headers, 'in-reply-to') }, automated === 'bounce');

  const event: InboundMessageEvent = {
    type: 'message',
    providerMessageId: messageId.length <= 255 ? messageId : `<${sha256(messageId)}@long-message-id>`,
    occurredAt: occurredAt(firstHeader(view.headers, 'date'), now),
    contact: contactOf(view, messageId),
    content: attachments.length > 0 ? { type: 'file', attachments: [], ...(text ? { text } : {}) } : { type: 'text', text: text || EMPTY_TEXT },
    email: emailMeta(view, messageId, html, automated),
  };
  return { event, attachments, omitted, ...(bounce ? { bounce } : {}) };
}

function emailMeta(view: MailView, messageId: string, html: string | undefined, automated: EmailMeta['automated']): EmailMeta {
  const subject = stripControls(view.subject).replace(/\s+/g, ' ').trim().slice(0, 998);
  const folio = FOLIO.exec(subject)?.[1];
  const inReplyTo = messageIdsIn(firstHeader(view.headers, 'in-reply-to'))[0];
  const references = messageIdsIn(firstHeader(view.headers, 'references')).filter((id) => id.length <= 998);
  return {
    subject,
    messageId: messageId.slice(0, 998),
    ...(inReplyTo && inReplyTo.length <= 998 ? { inReplyTo } : {}),
    // RFC 5322 §3.6.4: the first id is the thread root, the last ones the nearest parents.
    references: references.length > 100 ? [references[0]!, ...references.slice(-99)] : references,
    ...(folio ? { folio } : {}),
    from: (view.from?.address ?? '').slice(0, 320),
    to: view.to.filter((a) => a.length <= 320).slice(0, 200),
    cc: view.cc.filter((a) => a.length <= 320).slice(0, 200),
    ...(html && html.trim() && html.length <= 2_000_000 ? { html } : {}),
    ...(automated ? { automated } : {}),
  };
}

/**
 * The citizen is the From address (never Reply-To: a forged Reply-To must not move a mail
 * into someone else's conversation). A mail without any sender address gets a contact of its
 * own, scoped to the channel, rather than being merged with other anonymous mail.
 */
function contactOf(view: MailView, messageId: string): ContactRef {
  const name = view.from?.name ? stripControls(view.from.name).replace(/\s+/g, ' ').trim().slice(0, 200) : '';
  const candidates = [view.from?.address, firstHeader(view.headers, 'sender'), firstHeader(view.headers, 'return-path')];
  const email = candidates.map((c) => /([^\s<>"]+@[^\s<>"]+)/.exec(c ?? '')?.[1]?.toLowerCase()).find((a) => a && a.length <= 254);
  return { ...(email ? { email } : { externalId: `sin-remitente:${sha256(messageId).slice(0, 32)}` }), ...(name ? { name } : {}) };
}

/** The Date header when it is plausible; clocks run ahead, but not by more than a day. */
function occurredAt(dateHeader: string | undefined, now: Date): string {
  const date = dateHeader ? new Date(dateHeader.replace(/\([^)]*\)/g, '').trim()) : undefined;
  const valid = date && !Number.isNaN(date.getTime()) && date.getTime() <= now.getTime() + DAY_MS;
  return (valid ? date : now).toISOString();
}

/** The text the inbound schema accepts (≤ 20,000): long mail cut with a note, notes about omitted files kept. */
function fit(body: string, notes: string[]): string {
  const tail = notes.length > 0 ? `\n\n${notes.join('\n')}` : '';
  if (body.length + tail.length <= MAX_TEXT) return (body + tail).trim();
  let cut = Math.max(0, Math.min(CUT_AT, MAX_TEXT - TRUNCATED_NOTE.length - tail.length));
  // Never split a surrogate pair (an emoji) in half.
  if (cut > 0 && /[\uD800-\uDBFF]/.test(body.charAt(cut - 1))) cut -= 1;
  return (body.slice(0, cut) + TRUNCATED_NOTE + tail).slice(0, MAX_TEXT);
}

function omittedNote(file: { filename: string; size: number }, max: number): string {
  return `[Adjunto omitido por exceder el tamaño máximo de ${megabytes(max)}: ${file.filename} (${megabytes(file.size)}); se conserva en el correo original (.eml).]`;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toLocaleString('es-MX', { maximumFractionDigits: 1 })} MB`;
}

function toAttachment(part: MailPart, filename: string): ParsedEmailAttachment {
  return {
    filename,
    mimeType: part.contentType.toLowerCase(),
    content: part.content,
    size: part.content.length,
    ...(part.contentId ? { contentId: part.contentId } : {}),
    inline: part.inline,
  };
}

const DEFAULT_NAMES: Record<string, string> = {
  'message/rfc822': 'mensaje-original.eml',
  'message/delivery-status': 'estado-de-entrega.txt',
  'text/rfc822-headers': 'encabezados-originales.txt',
};
const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/csv': '.csv',
  'text/calendar': '.ics',
  'application/zip': '.zip',
};

/** A name for every part (the hub sanitises it further): the sender's, or one from the type. */
function filenameOf(part: MailPart, index: number): string {
  const given = part.filename ? stripControls(part.filename).replace(/^.*[\\/]/, '').trim() : '';
  if (given) return given.slice(-255);
  const type = part.contentType.toLowerCase();
  return DEFAULT_NAMES[type] ?? `${type.startsWith('image/') ? 'imagen' : 'adjunto'}-${index + 1}${EXTENSIONS[type] ?? ''}`;
}


function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
