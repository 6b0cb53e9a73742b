import { z } from 'zod';

/**
 * The `messages` webhook of the Cloud API as Meta documents it (webhooks/reference/messages):
 * `{object, entry[{id, changes[{field, value}]}]}`. Objects are loose: Meta adds fields
 * without notice, and an unknown field must never turn a citizen's message into a 400.
 */
const unixSeconds = z.string().regex(/^\d{1,12}$/, 'Unix timestamp in seconds, as a string');

const mediaSchema = z.looseObject({
  id: z.string().min(1).max(2000),
  mime_type: z.string().max(127).optional(),
  sha256: z.string().max(200).optional(),
  caption: z.string().max(4096).optional(),
  filename: z.string().max(255).optional(),
});

export const waInboundMessageSchema = z.looseObject({
  from: z.string().regex(/^\d{3,32}$/, 'wa_id: digits only'),
  id: z.string().min(1).max(255),
  timestamp: unixSeconds,
  type: z.string().min(1).max(100),
  context: z.looseObject({ id: z.string().max(255).optional(), from: z.string().max(32).optional() }).optional(),
});
export type WaInboundMessage = z.infer<typeof waInboundMessageSchema>;

/** The part of each known message type we read; parsed only once `type` says which. */
export const waTypedPartSchemas = {
  text: z.looseObject({ text: z.looseObject({ body: z.string().min(1).max(20_000) }) }),
  image: z.looseObject({ image: mediaSchema }),
  video: z.looseObject({ video: mediaSchema }),
  audio: z.looseObject({ audio: mediaSchema }),
  document: z.looseObject({ document: mediaSchema }),
  sticker: z.looseObject({ sticker: mediaSchema }),
  location: z.looseObject({
    location: z.looseObject({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: z.string().max(500).optional(),
      address: z.string().max(500).optional(),
    }),
  }),
  contacts: z.looseObject({
    contacts: z
      .array(
        z.looseObject({
          name: z.looseObject({ formatted_name: z.string().max(500).optional(), first_name: z.string().max(500).optional() }).optional(),
          phones: z.array(z.looseObject({ phone: z.string().max(64).optional(), wa_id: z.string().max(64).optional() })).max(20).optional(),
          emails: z.array(z.looseObject({ email: z.string().max(320).optional() })).max(20).optional(),
        }),
      )
      .min(1)
      .max(20),
  }),
  interactive: z.looseObject({
    interactive: z.looseObject({
      type: z.string().min(1).max(100),
      button_reply: z.looseObject({ id: z.string().min(1).max(256), title: z.string().min(1).max(4096) }).optional(),
      list_reply: z.looseObject({ id: z.string().min(1).max(256), title: z.string().min(1).max(4096), description: z.string().max(4096).optional() }).optional(),
    }),
  }),
  /** A quick-reply button of a template we sent. */
  button: z.looseObject({ button: z.looseObject({ text: z.string().min(1).max(4096), payload: z.string().max(256).optional() }) }),
  /** `emoji` is absent (or empty) when the citizen removed the reaction. */
  reaction: z.looseObject({ reaction: z.looseObject({ message_id: z.string().min(1).max(255), emoji: z.string().max(32).optional() }) }),
} as const;

export const waStatusSchema = z.looseObject({
  id: z.string().min(1).max(255),
  status: z.string().min(1).max(50),
  timestamp: unixSeconds,
  recipient_id: z.string().max(32).optional(),
  errors: z
    .array(
      z.looseObject({
        code: z.number().int(),
        title: z.string().max(1000).optional(),
        message: z.string().max(1000).optional(),
        error_data: z.looseObject({ details: z.string().max(1000).optional() }).optional(),
      }),
    )
    .optional(),
});
export type WaStatus = z.infer<typeof waStatusSchema>;

export const waChangeValueSchema = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: z.looseObject({ phone_number_id: z.string().max(64), display_phone_number: z.string().max(64).optional() }).optional(),
  contacts: z.array(z.looseObject({ wa_id: z.string().max(32), profile: z.looseObject({ name: z.string().max(1000).optional() }).optional() })).optional(),
  /** Kept raw here: each message is parsed on its own so one odd message names its own index. */
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

export const waWebhookBodySchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      id: z.string().max(64),
      changes: z.array(z.looseObject({ field: z.string().max(100), value: z.unknown() })),
    }),
  ),
});
