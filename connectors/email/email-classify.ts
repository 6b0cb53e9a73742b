import type { EmailMeta } from '../core/inbound-event.js';
import { firstHeader, headerValues, type HeaderBag } from './email-headers.js';

export type AutomatedKind = NonNullable<EmailMeta['automated']>;

/**
 * Mail no person wrote, which must never get an acknowledgement (issue 5 item 9): answering an
 * auto-responder with another one is how two mailboxes loop for ever. RFC 3834 §2 and §5 plus the
 * headers real responders and list managers send. Bounces first: a DSN also says
 * `Auto-Submitted: auto-replied`, and the hub treats a bounce as a delivery status.
 */
export function classifyAutomated(headers: HeaderBag): AutomatedKind | undefined {
  return bounce(headers) ?? autoSubmitted(headers) ?? responderHeaders(headers) ?? list(headers) ?? precedence(headers);
}

function bounce(headers: HeaderBag): AutomatedKind | undefined {
  const contentType = (firstHeader(headers, 'content-type') ?? '').toLowerCase();
  if (/^\s*multipart\/report\b/.test(contentType) && /report-type\s*=\s*"?delivery-status"?/.test(contentType)) return 'bounce';
  // RFC 5321 §4.5.5: notifications go out with a null reverse-path, delivered as `Return-Path: <>`.
  const returnPaths = headerValues(headers, 'return-path');
  if (returnPaths.some((v) => /^<\s*>$/.test(v.trim()) || isMailerDaemon(v))) return 'bounce';
  if ([...headerValues(headers, 'from'), ...headerValues(headers, 'sender')].some(isMailerDaemon)) return 'bounce';
  return undefined;
}

function autoSubmitted(headers: HeaderBag): AutomatedKind | undefined {
  const value = firstHeader(headers, 'auto-submitted');
  if (value === undefined) return undefined;
  const keyword = value.split(';')[0]!.trim().toLowerCase();
  if (keyword === '' || keyword === 'no') return undefined;
  return keyword === 'auto-replied' ? 'auto_replied' : 'auto_generated';
}

function responderHeaders(headers: HeaderBag): AutomatedKind | undefined {
  if (firstHeader(headers, 'x-autoreply') !== undefined || firstHeader(headers, 'x-autorespond') !== undefined) return 'auto_replied';
  // Outlook/Exchange: the sender asks not to be auto-answered (and its own OOF replies carry it).
  const suppress = (firstHeader(headers, 'x-auto-response-suppress') ?? '').toLowerCase();
  if (suppress.split(/[\s,]+/).some((t) => t === 'all' || t === 'oof' || t === 'autoreply')) return 'auto_generated';
  // Multipart/report of another kind: read receipts (RFC 8098) and feedback reports.
  const contentType = (firstHeader(headers, 'content-type') ?? '').toLowerCase();
  if (/^\s*multipart\/report\b/.test(contentType)) return 'auto_generated';
  return undefined;
}

function list(headers: HeaderBag): AutomatedKind | undefined {
  const listHeaders = ['list-id', 'list-unsubscribe', 'list-post'];
  return listHeaders.some((name) => firstHeader(headers, name) !== undefined) ? 'list' : undefined;
}

function precedence(headers: HeaderBag): AutomatedKind | undefined {
  const value = (firstHeader(headers, 'precedence') ?? '').trim().toLowerCase();
  if (value === 'bulk' || value === 'junk') return 'bulk';
  if (value === 'list') return 'list';
  return undefined;
}

function isMailerDaemon(value: string): boolean {
  return /(^|[<\s"])mailer-daemon@/i.test(value) || /^\s*<?\s*mailer-daemon\s*>?\s*$/i.test(value);
}
