import { z } from 'zod';

const graphId = z.string().regex(/^\d{1,32}$/, 'un id numérico de Meta / a numeric Meta id');

/**
 * One channel = one Facebook Page and, optionally, the Instagram professional account linked
 * to it: Meta posts both to the same webhook and both are answered through the Page's token.
 */
export const metaChannelSettingsSchema = z.object({
  pageId: graphId,
  instagramAccountId: graphId.optional(),
  graphApiVersion: z.string().regex(/^v\d{1,3}\.\d{1,2}$/, 'p. ej. / e.g. v21.0').default('v21.0'),
  /** The Graph API host; tests and the demo point it at the Meta harness. */
  graphBaseUrl: z.url().default('https://graph.facebook.com'),
  /**
   * The Page was approved for the HUMAN_AGENT message tag: an agent (never a bot) may answer
   * up to 7 days after the citizen's last message instead of 24 hours.
   */
  humanAgentTag: z.boolean().default(true),
  sendTimeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});
export type MetaChannelSettings = z.infer<typeof metaChannelSettingsSchema>;
export type MetaChannelSettingsInput = z.input<typeof metaChannelSettingsSchema>;

const idRef = z.object({ id: z.string().min(1).max(64) });

/**
 * One `entry[].messaging[]` item (Messenger Platform and Messenger API for Instagram share it).
 * Only the envelope is checked strictly; the event keys are validated where they are decoded so
 * an unknown event type is kept as `unsupported` instead of failing the whole delivery.
 */
export const metaMessagingSchema = z.looseObject({
  sender: idRef.optional(),
  recipient: idRef.optional(),
  timestamp: z.number().int().nonnegative().optional(),
});
export type MetaMessaging = z.infer<typeof metaMessagingSchema>;

export const metaWebhookBodySchema = z.object({
  object: z.string().min(1).max(64),
  entry: z
    .array(
      z.looseObject({
        id: z.string().min(1).max(64),
        time: z.number().int().nonnegative().optional(),
        messaging: z.array(metaMessagingSchema).max(1000).optional(),
      }),
    )
    .max(1000),
});

export const metaAttachmentSchema = z.looseObject({
  type: z.string().min(1).max(64),
  payload: z.looseObject({ url: z.string().max(4000).optional() }).nullish(),
});

export const metaMessageSchema = z.looseObject({
  mid: z.string().min(1).max(255),
  text: z.string().max(20_000).optional(),
  is_echo: z.boolean().optional(),
  is_deleted: z.boolean().optional(),
  quick_reply: z.object({ payload: z.string().min(1).max(1000) }).optional(),
  attachments: z.array(metaAttachmentSchema).max(20).optional(),
});

export type MetaAttachment = z.infer<typeof metaAttachmentSchema>;
export type MetaMessage = z.infer<typeof metaMessageSchema>;

export const metaPostbackSchema = z.looseObject({
  mid: z.string().min(1).max(255).optional(),
  title: z.string().max(1000).optional(),
  payload: z.string().min(1).max(1000),
});

export const metaDeliverySchema = z.looseObject({
  mids: z.array(z.string().min(1).max(255)).max(1000).optional(),
  watermark: z.number().int().nonnegative(),
});

/** Messenger reports reads by watermark only; Instagram (`messaging_seen`) by `mid`. */
export const metaReadSchema = z.looseObject({
  mid: z.string().min(1).max(255).optional(),
  watermark: z.number().int().nonnegative().optional(),
});

export const metaReactionSchema = z.looseObject({
  mid: z.string().min(1).max(255),
  action: z.enum(['react', 'unreact']),
  emoji: z.string().max(32).optional(),
  reaction: z.string().max(32).optional(),
});

/** The Send API's answer (`POST /me/messages`) and its documented error object. */
export const metaSendReplySchema = z.looseObject({ recipient_id: z.string().optional(), message_id: z.string().min(1).max(255) });
export const metaErrorReplySchema = z.object({
  error: z.looseObject({
    message: z.string().max(2000).default(''),
    type: z.string().max(200).optional(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    fbtrace_id: z.string().optional(),
  }),
});
export type MetaGraphError = z.infer<typeof metaErrorReplySchema>['error'];
