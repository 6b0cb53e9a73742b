import { z } from 'zod';

/** X user ids are decimal strings (64-bit: never parse them as numbers). */
const xUserIdSchema = z.string().regex(/^\d{1,20}$/, 'el id de usuario de X son solo dígitos (no el @usuario) / an X user id is digits only (not the @handle)');

/** Settings of an X channel (non-secret). The consumer secret and user token are stored apart. */
export const xChannelSettingsSchema = z.object({
  accountId: xUserIdSchema.describe("Id de usuario de la cuenta institucional en X / the business account's X user id"),
  apiBaseUrl: z
    .url()
    .default('https://api.x.com')
    .describe('URL base de la API de X (el arnés de pruebas apunta aquí a sí mismo) / X API base URL (the test harness points it at itself)'),
  sendTimeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});
export type XChannelSettings = z.infer<typeof xChannelSettingsSchema>;
export type XChannelSettingsInput = z.input<typeof xChannelSettingsSchema>;

/**
 * Account Activity API envelope. Every activity arrives as an array under its own `*_events`
 * key; only the keys we act on are typed, the rest stay in the loose object so an activity X
 * adds later is still seen (and kept as `unsupported` when a citizen caused it).
 */
export const xWebhookEnvelopeSchema = z.looseObject({
  for_user_id: xUserIdSchema.optional(),
  users: z.record(z.string(), z.looseObject({ name: z.string().optional(), screen_name: z.string().optional() })).optional(),
  direct_message_events: z.array(z.looseObject({ type: z.string() })).optional(),
  direct_message_indicate_typing_events: z.array(z.unknown()).optional(),
  direct_message_mark_read_events: z.array(z.unknown()).optional(),
});
export type XWebhookEnvelope = z.infer<typeof xWebhookEnvelopeSchema>;

const timestampSchema = z.string().regex(/^\d{1,15}$/, 'created_timestamp is epoch milliseconds as a string');

/** A `message_create` direct message event (v1.1 Message Create Object, as the webhook sends it). */
export const xMessageCreateEventSchema = z.object({
  type: z.literal('message_create'),
  id: z.string().min(1).max(255),
  created_timestamp: timestampSchema,
  message_create: z.object({
    target: z.object({ recipient_id: xUserIdSchema }),
    sender_id: xUserIdSchema,
    message_data: z.looseObject({
      text: z.string().default(''),
      quick_reply_response: z.looseObject({ type: z.string(), metadata: z.string().optional() }).optional(),
      attachment: z.looseObject({ type: z.string(), media: z.looseObject({ type: z.string().optional() }).optional() }).optional(),
    }),
  }),
});
export type XMessageCreateEvent = z.infer<typeof xMessageCreateEventSchema>;

/** `direct_message_mark_read_events[]`: `sender_id` read everything up to `last_read_event_id`. */
export const xMarkReadEventSchema = z.object({
  created_timestamp: timestampSchema,
  sender_id: xUserIdSchema,
  target: z.object({ recipient_id: xUserIdSchema }),
  last_read_event_id: z.string().min(1).max(255),
});

/** What `POST /2/dm_conversations/with/:participant_id/messages` answers (201). */
export const xSendReplySchema = z.object({
  data: z.object({ dm_conversation_id: z.string().min(1), dm_event_id: z.string().min(1).max(255) }),
});

/** An X API v2 error body: RFC 7807-like (`title`, `detail`) or the older `{ errors: [{ message }] }`. */
export const xProblemSchema = z.looseObject({
  title: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(z.looseObject({ message: z.string() })).optional(),
});

/**
 * What `encodeOutbound` builds and `send` posts: the recipient for the path and the JSON body.
 * Text only — `attachments` would need media uploaded with OAuth 1.0a first (see README).
 */
export const xEncodedDmSchema = z.object({
  participantId: xUserIdSchema.nullable(),
  payload: z.object({ text: z.string() }),
});
export type XEncodedDm = z.infer<typeof xEncodedDmSchema>;
