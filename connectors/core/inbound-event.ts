import { z } from 'zod';

/**
 * What every adapter turns a provider request into. The same shape travels in the inbound
 * job, so it is a zod schema (jobs are a boundary, CONVENTIONS 9).
 */
export const contactRefSchema = z.object({
  phone: z.string().min(3).max(32).optional(),
  email: z.string().min(3).max(254).optional(),
  externalId: z.string().min(1).max(200).optional(),
  name: z.string().min(1).max(200).optional(),
});
export type ContactRef = z.infer<typeof contactRefSchema>;

/** A contact ref the hub can look up: a name alone identifies nobody. */
export const identifiedContactRefSchema = contactRefSchema.refine((c) => c.phone ?? c.email ?? c.externalId, {
  message: 'contact needs at least one of phone, email or externalId',
});

export const attachmentSchema = z.object({
  url: z.url().optional(),
  /** A file the hub already stored (an e-mail's or widget visitor's attachment): ingest links it. */
  fileId: z.uuid().optional(),
  /**
   * The provider's handle of media the hub must fetch itself (a WhatsApp media id, a Twilio
   * MediaUrl that needs the account's credentials): the ingest worker downloads it with the
   * adapter's `fetchMedia`, stores it and sets `fileId` before the message is stored.
   */
  mediaRef: z.string().min(1).max(2000).optional(),
  filename: z.string().max(255).optional(),
  mimeType: z.string().max(127).optional(),
  size: z.number().int().nonnegative().optional(),
  caption: z.string().max(4096).optional(),
});

export const inboundContentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().min(1).max(20_000) }),
  z.object({
    type: z.enum(['image', 'audio', 'video', 'file']),
    attachments: z.array(attachmentSchema).min(1).max(20),
    text: z.string().max(20_000).optional(),
  }),
  z.object({
    type: z.literal('location'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().max(500).optional(),
  }),
  /** Shared contact cards (WhatsApp `contacts`): names and phones as the citizen sent them. */
  z.object({
    type: z.literal('contacts'),
    contacts: z
      .array(
        z.object({
          name: z.string().max(500),
          phones: z.array(z.string().max(64)).max(20),
          emails: z.array(z.string().max(320)).max(20),
        }),
      )
      .min(1)
      .max(20),
  }),
  /** The citizen chose a button or a list row we sent (WhatsApp interactive, Messenger quick reply). */
  z.object({
    type: z.literal('interactive'),
    replyId: z.string().min(1).max(256),
    text: z.string().min(1).max(4096),
    /** The provider id of the message whose button or row was chosen, when the provider says. */
    inReplyTo: z.string().max(255).optional(),
  }),
  /** An emoji reaction to one of the conversation's messages (empty emoji: reaction removed). */
  z.object({ type: z.literal('reaction'), emoji: z.string().max(32), targetProviderMessageId: z.string().min(1).max(255) }),
  /** Anything we cannot render yet is kept whole, never dropped (CONVENTIONS 12). */
  z.object({ type: z.literal('unsupported'), providerType: z.string().max(100), raw: z.unknown() }),
]);
export type InboundContent = z.infer<typeof inboundContentSchema>;

/**
 * What an e-mail adds to a message (issue 5 items 7–9): threading and display data. Ids are
 * Message-IDs as written in headers, with their angle brackets.
 */
export const emailMetaSchema = z.object({
  subject: z.string().max(998),
  messageId: z.string().min(3).max(998),
  inReplyTo: z.string().max(998).optional(),
  references: z.array(z.string().max(998)).max(100),
  /** A folio found in the subject, e.g. `[DH-20261126-000123]`. */
  folio: z.string().max(40).optional(),
  from: z.string().max(320),
  to: z.array(z.string().max(320)).max(200),
  cc: z.array(z.string().max(320)).max(200),
  /** The HTML body, already sanitised (no scripts, handlers, forms or remote loads). */
  html: z.string().max(2_000_000).optional(),
  /** The original message as received, stored by the hub (nothing lost when parsing falls short). */
  rawFileId: z.uuid().optional(),
  /** Set for auto-replies, bounces, bulk and list mail: they never get an acknowledgement. */
  automated: z.enum(['auto_replied', 'auto_generated', 'bulk', 'list', 'bounce']).optional(),
});
export type EmailMeta = z.infer<typeof emailMetaSchema>;

export const deliveryStatusSchema = z.enum(['sent', 'delivered', 'read', 'failed']);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

export const inboundEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    providerMessageId: z.string().min(1).max(255),
    occurredAt: z.iso.datetime({ offset: true }),
    contact: contactRefSchema,
    content: inboundContentSchema,
    email: emailMetaSchema.optional(),
  }),
  z.object({
    type: z.literal('status'),
    providerMessageId: z.string().min(1).max(255),
    occurredAt: z.iso.datetime({ offset: true }),
    status: deliveryStatusSchema,
    error: z.object({ code: z.string().max(100), reason: z.string().max(1000) }).optional(),
  }),
  /**
   * The contact ended the session on the provider's side (closed the chat widget, left the
   * kiosk). If no agent has answered yet the hub abandons the conversation (issue 3 item 9);
   * the contact is identified exactly as for a message. `reason` is the provider's word for it.
   */
  z.object({
    type: z.literal('contact_left'),
    providerEventId: z.string().min(1).max(255),
    occurredAt: z.iso.datetime({ offset: true }),
    contact: identifiedContactRefSchema,
    reason: z.string().min(1).max(200).optional(),
  }),
]);
export type InboundEvent = z.infer<typeof inboundEventSchema>;
export type InboundMessageEvent = Extract<InboundEvent, { type: 'message' }>;
export type InboundStatusEvent = Extract<InboundEvent, { type: 'status' }>;
export type InboundContactLeftEvent = Extract<InboundEvent, { type: 'contact_left' }>;
export type InboundEventType = InboundEvent['type'];
