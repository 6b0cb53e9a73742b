import type { z } from 'zod';
import type { attachmentSchema, ContactRef } from './inbound-event.js';

export interface OutboundButton {
  id: string;
  title: string;
}

export interface OutboundListSection {
  title: string;
  rows: { id: string; title: string; description?: string }[];
}

/**
 * What may be sent. `interactive` and `template` only go to channels whose capabilities say so
 * (checked by the hub before encoding, and by the conformance suite).
 */
export type OutboundContent =
  | { type: 'text'; text: string }
  | { type: 'image' | 'audio' | 'video' | 'file'; text?: string; attachments: z.infer<typeof attachmentSchema>[] }
  /** Reply buttons (up to 3 on WhatsApp) or one list of rows behind a button. */
  | { type: 'interactive'; text: string; buttons?: OutboundButton[]; list?: { button: string; sections: OutboundListSection[] } }
  /** An approved template of the channel's catalogue (WhatsApp outside the 24-hour window). */
  | { type: 'template'; template: { name: string; language: string; variables: string[] }; text?: string };

/** A message the hub wants delivered; built by the outbound worker from the stored row. */
export interface OutboundMessage {
  /** Our message id: providers echo it back, and it makes sends idempotent. */
  id: string;
  conversationId: string;
  folio: string;
  to: ContactRef;
  content: OutboundContent;
  sender: { type: 'agent' | 'bot' | 'system'; name?: string };
  /**
   * For channels that thread (capabilities.threading, e-mail): the subject and the headers that
   * keep a reply in the citizen's thread (the adapter derives our own Message-ID from `id`, so
   * a retried send carries the same one).
   */
  thread?: { subject: string; inReplyTo?: string; references: string[] };
  /**
   * When the citizen last wrote in this conversation (ISO-8601; `conversations.last_inbound_at`):
   * channels with a customer-service window pick how to send by it (Messenger/Instagram: a
   * standard RESPONSE inside 24 h, the HUMAN_AGENT tag after). Absent: treated as inside.
   */
  lastInboundAt?: string;
}
