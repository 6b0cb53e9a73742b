import type { z } from 'zod';
import { DecodeError, type RawRequest } from '../core/channel-adapter.js';
import type { ContactRef, InboundContent, InboundEvent } from '../core/inbound-event.js';
import { mapGraphError, WHATSAPP_PROVIDER_STATUSES } from './whatsapp-errors.js';
import type { WhatsAppChannelSettings } from './whatsapp-channel.schema.js';
import { waChangeValueSchema, waInboundMessageSchema, waStatusSchema, waTypedPartSchemas, waWebhookBodySchema, type WaInboundMessage, type WaStatus } from './whatsapp-webhook.schema.js';

const issuesOf = (error: z.ZodError, prefix: string) => error.issues.map((i) => `${[prefix, ...i.path].join('.')}: ${i.message}`);

/**
 * `entry[].changes[].value` → our events, in the order Meta sent them. Changes that are not
 * `messages` (template reviews, account updates) carry nothing for the inbox.
 */
export function decodeWhatsAppWebhook(request: RawRequest, settings: WhatsAppChannelSettings): InboundEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new DecodeError('body is not valid JSON');
  }
  const body = waWebhookBodySchema.safeParse(json);
  if (!body.success) throw new DecodeError('body is not a WhatsApp Business Account webhook', issuesOf(body.error, '(body)'));

  const events: InboundEvent[] = [];
  body.data.entry.forEach((entry, e) => {
    entry.changes.forEach((change, c) => {
      if (change.field !== 'messages') return;
      const at = `entry.${e}.changes.${c}.value`;
      const value = waChangeValueSchema.safeParse(change.value);
      if (!value.success) throw new DecodeError('malformed messages change', issuesOf(value.error, at));
      // One Meta app posts every number it serves to the same callback URL: events of another
      // number are not this channel's (its replies would leave from the wrong number).
      const numberId = value.data.metadata?.phone_number_id;
      if (numberId !== undefined && numberId !== settings.phoneNumberId) return;
      const names = new Map((value.data.contacts ?? []).map((contact) => [contact.wa_id, contact.profile?.name]));
      (value.data.messages ?? []).forEach((raw, m) => {
        const message = waInboundMessageSchema.safeParse(raw);
        if (!message.success) throw new DecodeError('malformed message', issuesOf(message.error, `${at}.messages.${m}`));
        events.push({
          type: 'message',
          providerMessageId: message.data.id,
          occurredAt: fromUnix(message.data.timestamp),
          contact: contactOf(message.data.from, names.get(message.data.from)),
          content: decodeContent(message.data, `${at}.messages.${m}`),
        });
      });
      (value.data.statuses ?? []).forEach((raw, s) => {
        const status = waStatusSchema.safeParse(raw);
        if (!status.success) throw new DecodeError('malformed status', issuesOf(status.error, `${at}.statuses.${s}`));
        const event = decodeStatus(status.data);
        if (event) events.push(event);
      });
    });
  });
  return events;
}

/**
 * The hub normalises phones to E.164: `+` + wa_id. A Mexican mobile's wa_id keeps the legacy
 * `521` prefix (5215512345678); the hub's normaliser folds it into +525512345678.
 */
function contactOf(waId: string, name: string | undefined): ContactRef {
  const trimmed = name?.trim().slice(0, 200);
  return { phone: `+${waId}`, ...(trimmed ? { name: trimmed } : {}) };
}

function fromUnix(seconds: string): string {
  return new Date(Number(seconds) * 1000).toISOString();
}

function decodeContent(message: WaInboundMessage, at: string): InboundContent {
  const unsupported: InboundContent = { type: 'unsupported', providerType: message.type, raw: message };
  const parse = <T extends z.ZodType>(schema: T): z.infer<T> => {
    const part = schema.safeParse(message);
    if (!part.success) throw new DecodeError(`malformed ${message.type} message`, issuesOf(part.error, at));
    return part.data;
  };
  const inReplyTo = message.context?.id ? { inReplyTo: message.context.id } : {};
  switch (message.type) {
    case 'text':
      return { type: 'text', text: parse(waTypedPartSchemas.text).text.body };
    case 'image':
      return media('image', parse(waTypedPartSchemas.image).image);
    case 'sticker':
      return media('image', parse(waTypedPartSchemas.sticker).sticker);
    case 'video':
      return media('video', parse(waTypedPartSchemas.video).video);
    case 'audio':
      return media('audio', parse(waTypedPartSchemas.audio).audio);
    case 'document':
      return media('file', parse(waTypedPartSchemas.document).document);
    case 'location': {
      const { location } = parse(waTypedPartSchemas.location);
      const name = location.name ?? location.address;
      return { type: 'location', latitude: location.latitude, longitude: location.longitude, ...(name ? { name } : {}) };
    }
    case 'contacts':
      return {
        type: 'contacts',
        contacts: parse(waTypedPartSchemas.contacts).contacts.map((card) => ({
          name: card.name?.formatted_name ?? card.name?.first_name ?? '',
          phones: (card.phones ?? []).flatMap((p) => (p.phone ?? p.wa_id ? [p.phone ?? `+${p.wa_id}`] : [])),
          emails: (card.emails ?? []).flatMap((e) => (e.email ? [e.email] : [])),
        })),
      };
    case 'interactive': {
      const { interactive } = parse(waTypedPartSchemas.interactive);
      const chosen = interactive.type === 'button_reply' ? interactive.button_reply : interactive.type === 'list_reply' ? interactive.list_reply : undefined;
      // Flows (`nfm_reply`) and other interactive replies are kept whole.
      if (!chosen) return unsupported;
      return { type: 'interactive', replyId: chosen.id, text: chosen.title, ...inReplyTo };
    }
    case 'button': {
      const { button } = parse(waTypedPartSchemas.button);
      return { type: 'interactive', replyId: button.payload || button.text, text: button.text, ...inReplyTo };
    }
    case 'reaction': {
      const { reaction } = parse(waTypedPartSchemas.reaction);
      return { type: 'reaction', emoji: reaction.emoji ?? '', targetProviderMessageId: reaction.message_id };
    }
    default:
      // `unsupported`, `unknown`, `system`, `order`, `request_welcome`…: stored with the raw payload.
      return unsupported;
  }
}

function media(type: 'image' | 'video' | 'audio' | 'file', part: { id: string; mime_type?: string | undefined; caption?: string | undefined; filename?: string | undefined }): InboundContent {
  return {
    type,
    attachments: [
      {
        mediaRef: part.id,
        ...(part.mime_type ? { mimeType: part.mime_type } : {}),
        ...(part.filename ? { filename: part.filename } : {}),
        ...(part.caption ? { caption: part.caption } : {}),
      },
    ],
    ...(part.caption ? { text: part.caption } : {}),
  };
}

function decodeStatus(status: WaStatus): InboundEvent | null {
  // A word Meta adds later says nothing we can act on yet: no event rather than a 400 and retries.
  const mapped = isProviderStatus(status.status) ? WHATSAPP_PROVIDER_STATUSES[status.status] : 'ignored';
  if (mapped === 'ignored') return null;
  const first = status.errors?.[0];
  const error = mapped === 'failed' && first ? { error: { code: mapGraphError(first.code).code, reason: statusReason(first) } } : {};
  return { type: 'status', providerMessageId: status.id, occurredAt: fromUnix(status.timestamp), status: mapped, ...error };
}

function statusReason(error: NonNullable<WaStatus['errors']>[number]): string {
  const words = [error.title ?? error.message, error.error_data?.details].filter((w): w is string => Boolean(w));
  return `${error.code}: ${[...new Set(words)].join(' — ')}`.slice(0, 1000);
}

function isProviderStatus(word: string): word is keyof typeof WHATSAPP_PROVIDER_STATUSES {
  return Object.hasOwn(WHATSAPP_PROVIDER_STATUSES, word);
}
