import type { InteractiveReply, MessageView, TemplateReply } from '../api/api-types.js';

/**
 * Reading the messaging channels' rich content out of a MessageView. The hub stores a shared
 * contact card as text, one card a line: `name · phone · … · e-mail` (ingest-message.usecase.ts);
 * an outbound interactive or template message carries what was sent in `meta` (the POST body's
 * `interactive` / `template`), read here with guards because the wire type does not promise it.
 */

export interface SharedContact {
  name: string | null;
  phones: string[];
  emails: string[];
}

const PHONE = /^\+?[\d\s().-]{5,32}$/;

export function parseSharedContacts(text: string | null): SharedContact[] {
  if (!text) return [];
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const card: SharedContact = { name: null, phones: [], emails: [] };
      for (const part of line.split(' · ').map((p) => p.trim())) {
        if (part === '') continue;
        if (part.includes('@') && !part.includes(' ')) card.emails.push(part);
        else if (PHONE.test(part) && /\d{5}/.test(part.replace(/\D/g, ''))) card.phones.push(part);
        else card.name = card.name === null ? part : `${card.name} · ${part}`;
      }
      return card;
    });
}

/** `tel:` keeps digits and a leading plus (RFC 3966 global number). */
export function telHref(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  return `tel:${digits.startsWith('+') ? `+${digits.slice(1).replace(/\+/g, '')}` : digits.replace(/\+/g, '')}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function choices(value: unknown): { id: string; title: string; description?: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (!isRecord(item)) return [];
    const title = text(item['title']);
    if (title === null) return [];
    const description = text(item['description']);
    return [{ id: text(item['id']) ?? title, title, ...(description ? { description } : {}) }];
  });
}

export interface OutboundDetails {
  interactive?: Omit<InteractiveReply, 'text'>;
  template?: TemplateReply;
}

/** What an outbound message's `meta` says about its buttons, list or template; `{}` when nothing. */
export function outboundDetails(message: MessageView): OutboundDetails {
  const meta: unknown = Reflect.get(message, 'meta');
  if (!isRecord(meta)) return {};
  const details: OutboundDetails = {};
  const interactive = meta['interactive'];
  if (isRecord(interactive)) {
    const buttons = choices(interactive['buttons']);
    const list = interactive['list'];
    const sections = isRecord(list) && Array.isArray(list['sections']) ? list['sections'].filter(isRecord).map((s) => ({ title: text(s['title']) ?? '', rows: choices(s['rows']) })) : [];
    if (buttons.length > 0) details.interactive = { buttons };
    else if (isRecord(list) && sections.length > 0) details.interactive = { list: { button: text(list['button']) ?? '', sections } };
  }
  const template = meta['template'];
  if (isRecord(template)) {
    const name = text(template['name']);
    const variables = template['variables'];
    if (name !== null) {
      details.template = {
        name,
        language: text(template['language']) ?? '',
        variables: Array.isArray(variables) ? variables.filter((v): v is string => typeof v === 'string') : [],
      };
    }
  }
  return details;
}

export type RichKind = 'contacts' | 'choice' | 'reaction' | 'interactive' | 'template';

/** How the timeline shows a message's content; null for plain text and media (the bubble as before). */
export function richKind(message: MessageView): RichKind | null {
  const inbound = message.direction === 'inbound';
  if (inbound && message.contentType === 'contacts') return 'contacts';
  if (inbound && message.contentType === 'interactive') return 'choice';
  if (inbound && message.contentType === 'reaction') return 'reaction';
  if (inbound) return null;
  const details = outboundDetails(message);
  if (message.contentType === 'template' || details.template) return 'template';
  if (message.contentType === 'interactive' || details.interactive) return 'interactive';
  return null;
}
