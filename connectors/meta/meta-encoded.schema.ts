import { z } from 'zod';

/** Buttons become quick replies, which Meta caps at 13 per message (titles at 20 characters). */
export const META_MAX_QUICK_REPLIES = 13;
export const META_QUICK_REPLY_TITLE_MAX = 20;

const sendRequestSchema = z.object({
  recipient: z.object({ id: z.string().min(1) }),
  messaging_type: z.enum(['RESPONSE', 'MESSAGE_TAG']),
  tag: z.literal('HUMAN_AGENT').optional(),
  message: z.union([
    z.object({
      text: z.string().min(1),
      quick_replies: z.array(z.object({ content_type: z.literal('text'), title: z.string().min(1), payload: z.string().min(1) })).max(META_MAX_QUICK_REPLIES).optional(),
    }),
    z.object({
      attachment: z.object({
        type: z.enum(['image', 'audio', 'video', 'file']),
        payload: z.object({ url: z.string().optional(), is_reusable: z.boolean() }),
      }),
    }),
  ]),
  /** A stored file without a public URL: send() uploads it as `filedata` (multipart) instead. */
  fileId: z.string().optional(),
});
export type MetaSendRequest = z.infer<typeof sendRequestSchema>;

/**
 * What encodeOutbound builds and send() takes (a plain JSON value, parsed back, never cast):
 * the Send API requests in order — one per attachment, then the text — or why nothing can go.
 */
export const encodedMetaSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('send'), network: z.enum(['messenger', 'instagram']), requests: z.array(sendRequestSchema).min(1).max(21) }),
  z.object({ kind: z.literal('invalid'), code: z.string(), reason: z.string() }),
]);
export type EncodedMeta = z.infer<typeof encodedMetaSchema>;
