import type { InboundStatusEvent } from '../core/inbound-event.js';
import { firstHeader, messageIdsIn, parseHeaderBlock } from './email-headers.js';

/** What a delivery status notification says about one message we sent (RFC 3464). */
export interface DsnReport {
  /** The Message-ID of our message that bounced, with <> (what send() returned as providerMessageId). */
  originalMessageId?: string;
  recipient?: string;
  /** RFC 3464 §2.3.3: failed | delayed | delivered | relayed | expanded. */
  action: string;
  /** Enhanced status code (RFC 3463), e.g. '5.1.1'. */
  status?: string;
  diagnostic?: string;
  /** The MTA gave up: the message will never arrive (vs. a delay warning that it keeps retrying). */
  permanent: boolean;
}

/** The parts of a parsed mail a report is read from (mailparser keeps them as attachments). */
export interface DsnSource {
  attachments: readonly { contentType: string; content: Buffer }[];
  text?: string | undefined;
  inReplyTo?: string | undefined;
}

const STATUS = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

/**
 * Reads a bounce. A `message/delivery-status` part is authoritative; without one (`isBounce`: the
 * classifier saw a null return path or MAILER-DAEMON), the common plain-text bounces (qmail,
 * old Exim) are read best effort from the quoted original.
 */
export function parseDeliveryReport(source: DsnSource, isBounce: boolean): DsnReport | undefined {
  const status = source.attachments.find((a) => a.contentType.toLowerCase() === 'message/delivery-status');
  if (status) return fromDeliveryStatus(status.content.toString('utf8'), source);
  return isBounce ? fromPlainText(source) : undefined;
}

/**
 * The status the hub applies for a bounce: our message (found by the Message-ID send() returned
 * as providerMessageId) failed. Delay warnings change nothing, the MTA is still trying.
 */
export function bounceStatusEvent(report: DsnReport, occurredAt: string): InboundStatusEvent | undefined {
  if (!report.permanent || !report.originalMessageId || report.originalMessageId.length > 255) return undefined;
  const reason = [report.status, report.recipient ? `<${report.recipient}>` : undefined, report.diagnostic].filter(Boolean).join(' ');
  return { type: 'status', providerMessageId: report.originalMessageId, occurredAt, status: 'failed', error: { code: 'email_bounced', reason: reason.slice(0, 1000) } };
}

function fromDeliveryStatus(body: string, source: DsnSource): DsnReport {
  // Field groups are separated by blank lines: per-message fields first, then one per recipient.
  const groups = body.split(/\r?\n[ \t]*\r?\n/).map(parseHeaderBlock);
  const recipients = groups.slice(1).filter((g) => firstHeader(g, 'final-recipient') ?? firstHeader(g, 'original-recipient') ?? firstHeader(g, 'action'));
  const chosen = recipients.find((g) => (firstHeader(g, 'action') ?? '').toLowerCase().startsWith('failed')) ?? recipients[0] ?? {};
  const action = (firstHeader(chosen, 'action') ?? 'failed').trim().toLowerCase().split(/[\s(;]/)[0] || 'failed';
  const status = STATUS.exec(firstHeader(chosen, 'status') ?? '')?.[0];
  const recipient = addressOf(firstHeader(chosen, 'final-recipient') ?? firstHeader(chosen, 'original-recipient'));
  const diagnostic = typed(firstHeader(chosen, 'diagnostic-code'));
  const originalMessageId = originalIdFromParts(source) ?? quotedMessageId(source.text) ?? messageIdsIn(source.inReplyTo)[0];
  return {
    ...(originalMessageId ? { originalMessageId } : {}),
    ...(recipient ? { recipient } : {}),
    action,
    ...(status ? { status } : {}),
    ...(diagnostic ? { diagnostic: diagnostic.slice(0, 1000) } : {}),
    permanent: action === 'failed' || (status?.startsWith('5') ?? false),
  };
}

function fromPlainText(source: DsnSource): DsnReport | undefined {
  const text = source.text ?? '';
  // The report is above the quoted copy; only read status words there, not in the citizen's text.
  const split = /^.*(below this line is a copy of the message|original message follows|message headers follow|returned message).*$/im.exec(text);
  const report = split ? text.slice(0, split.index) : text;
  const originalMessageId = originalIdFromParts(source) ?? quotedMessageId(split ? text.slice(split.index) : text) ?? messageIdsIn(source.inReplyTo)[0];
  if (!originalMessageId) return undefined;
  const recipientMatch = /^\s*<?([^\s<>@]+@[^\s<>:]+)>?\s*:/m.exec(report);
  const status = STATUS.exec(report)?.[0];
  const delayed = /\b(delayed|will (be )?retr|still trying|warning)\b/i.test(report) && !/\bpermanent\b/i.test(report);
  const permanent = status ? status.startsWith('5') : !delayed;
  const diagnostic = recipientMatch ? report.slice(recipientMatch.index + recipientMatch[0].length).trim().split(/\r?\n\s*\r?\n/)[0]?.replace(/\s+/g, ' ').trim() : undefined;
  return {
    originalMessageId,
    ...(recipientMatch ? { recipient: recipientMatch[1]!.toLowerCase() } : {}),
    action: permanent ? 'failed' : 'delayed',
    ...(status ? { status } : {}),
    ...(diagnostic ? { diagnostic: diagnostic.slice(0, 1000) } : {}),
    permanent,
  };
}

/** The returned original: a whole message (message/rfc822) or only its headers (text/rfc822-headers). */
function originalIdFromParts(source: DsnSource): string | undefined {
  for (const part of source.attachments) {
    const type = part.contentType.toLowerCase();
    if (type !== 'message/rfc822' && type !== 'text/rfc822-headers' && type !== 'message/rfc822-headers') continue;
    const id = messageIdsIn(firstHeader(parseHeaderBlock(part.content.toString('utf8')), 'message-id'))[0];
    if (id) return id;
  }
  return undefined;
}

function quotedMessageId(text: string | undefined): string | undefined {
  const match = text ? /^\s*>?\s*message-id:\s*(<[^<>\s]+>)/im.exec(text) : null;
  return match?.[1];
}

/** `rfc822; ana@example.mx` → `ana@example.mx` (RFC 3464 address-type prefix). */
function addressOf(value: string | undefined): string | undefined {
  const address = typed(value)?.replace(/^<|>$/g, '').trim().toLowerCase();
  return address || undefined;
}

/** Drops the `type;` prefix of a DSN field (`smtp; 550 …`, `rfc822; …`). */
function typed(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const semicolon = value.indexOf(';');
  const rest = (semicolon >= 0 && /^[A-Za-z0-9-]+$/.test(value.slice(0, semicolon).trim()) ? value.slice(semicolon + 1) : value).replace(/\s+/g, ' ').trim();
  return rest || undefined;
}
