import { z } from 'zod';

/**
 * What encodeOutbound builds and send() takes: a plain JSON value (it is logged and may sit in a
 * job), so send() parses it back instead of trusting a cast.
 */
export const encodedEmailSchema = z.object({
  from: z.object({ name: z.string().max(300), address: z.email() }),
  /** Absent when the contact has no e-mail address: send() then fails, not retryable. */
  to: z.string().max(320).optional(),
  subject: z.string().max(998),
  /** Our Message-ID, with <>: derived from the message id, so a retried send repeats it. */
  messageId: z.string().min(3).max(998),
  inReplyTo: z.string().max(998).optional(),
  references: z.array(z.string().max(998)).max(100).optional(),
  text: z.string(),
  html: z.string(),
  attachments: z.array(
    z.object({
      fileId: z.string().optional(),
      filename: z.string().max(255),
      contentType: z.string().max(127),
      url: z.string().optional(),
    }),
  ),
  headers: z.record(z.string(), z.string()),
});
export type EncodedEmail = z.infer<typeof encodedEmailSchema>;
