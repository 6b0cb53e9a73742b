import type { z } from 'zod';
import type { attachmentSchema, ContactRef } from './inbound-event.js';

/** A message the hub wants delivered; built by the outbound worker from the stored row. */
export interface OutboundMessage {
  /** Our message id: providers echo it back, and it makes sends idempotent. */
  id: string;
  conversationId: string;
  folio: string;
  to: ContactRef;
  content:
    | { type: 'text'; text: string }
    | { type: 'image' | 'audio' | 'video' | 'file'; text?: string; attachments: z.infer<typeof attachmentSchema>[] };
  sender: { type: 'agent' | 'bot' | 'system'; name?: string };
  /**
   * For channels that thread (capabilities.threading, e-mail): the subject and the headers that
   * keep a reply in the citizen's thread (the adapter derives our own Message-ID from `id`, so
   * a retried send carries the same one).
   */
  thread?: { subject: string; inReplyTo?: string; references: string[] };
}
