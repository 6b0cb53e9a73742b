import { z } from 'zod';
import { attachmentSchema, deliveryStatusSchema } from '../core/inbound-event.js';

/** Settings of an API channel (non-secret). The signing secret is stored apart. */
export const apiChannelSettingsSchema = z.object({
  /** Where the hub POSTs outbound messages; without it the channel is inbound-only. */
  callbackUrl: z.url().optional(),
  callbackTimeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  /** Sends per second your callback takes; the outbound worker paces this channel to it (all processes together). */
  maxSendsPerSecond: z.number().int().min(1).max(10_000).optional(),
});
export type ApiChannelSettings = z.infer<typeof apiChannelSettingsSchema>;

const fromSchema = z
  .object({
    phone: z.string().min(3).max(32).optional(),
    email: z.string().min(3).max(254).optional(),
    externalId: z.string().min(1).max(200).optional(),
    name: z.string().min(1).max(200).optional(),
  })
  .refine((f) => f.phone ?? f.email ?? f.externalId, {
    message: 'from needs at least one of phone, email or externalId',
  });

const knownContentSchema = z.discriminatedUnion('type', [
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
]);
export const KNOWN_CONTENT_TYPES: ReadonlySet<string> = new Set(['text', 'image', 'audio', 'video', 'file', 'location']);

export const apiMessageEventSchema = z.object({
  type: z.literal('message'),
  id: z.string().min(1).max(255),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  from: fromSchema,
  /** Validated against knownContentSchema when its type is known; otherwise kept raw. */
  content: z.looseObject({ type: z.string().min(1).max(100) }),
});

export const apiStatusEventSchema = z.object({
  type: z.literal('status'),
  id: z.string().min(1).max(255),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  status: deliveryStatusSchema,
  error: z.object({ code: z.string().min(1).max(100), reason: z.string().max(1000) }).optional(),
});

/**
 * The citizen ended the session on your side (closed the widget, walked away from the kiosk)
 * before or after an agent answered: `{"type":"end","id":…,"from":{…},"reason":"closed_widget"}`.
 * `id` is your unique id for this event (a retry with the same id counts once); `from`
 * identifies the citizen exactly as in their messages; `reason` is a free token of yours.
 */
export const apiEndEventSchema = z.object({
  type: z.literal('end'),
  id: z.string().min(1).max(255),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  from: fromSchema,
  reason: z.string().min(1).max(200).optional(),
});

export const apiEventSchema = z.discriminatedUnion('type', [apiMessageEventSchema, apiStatusEventSchema, apiEndEventSchema]);
export const apiBatchBodySchema = z.object({ events: z.array(apiEventSchema).min(1).max(100) });
export const apiWebhookBodySchema = z.union([apiEventSchema, apiBatchBodySchema]);

export { knownContentSchema };

/** What the callback URL answers to an outbound message. */
export const apiSendReplySchema = z.object({ id: z.string().min(1).max(255).optional() }).loose();
