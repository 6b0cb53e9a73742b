import { z } from 'zod';
import type { OutboundContent } from '@ventanilla/connectors/core';
import type { Message } from '../db/schema.js';
import { interactiveReplySchema, templateReplySchema } from './reply-body.schema.js';

/** What `messages.meta` holds for an interactive message or a template the agent sent. */
const outboundMetaSchema = z.object({ interactive: interactiveReplySchema.optional(), template: templateReplySchema.optional() });

/**
 * A stored reply as the adapter takes it: an interactive message or a template from its meta
 * (the row's text is only what the agent reads), else its files, else its text.
 */
export function outboundContentOf(message: Pick<Message, 'content_type' | 'text' | 'attachments' | 'meta'>): OutboundContent {
  const meta = outboundMetaSchema.safeParse(message.meta ?? {});
  if (meta.success && meta.data.template) return { type: 'template', template: meta.data.template, ...(message.text ? { text: message.text } : {}) };
  if (meta.success && meta.data.interactive) {
    const { text, buttons, list } = meta.data.interactive;
    return { type: 'interactive', text, ...(buttons ? { buttons } : {}), ...(list ? { list } : {}) };
  }
  const type = message.content_type;
  if ((type === 'image' || type === 'audio' || type === 'video' || type === 'file') && message.attachments.length > 0) {
    return { type, attachments: message.attachments, ...(message.text ? { text: message.text } : {}) };
  }
  return { type: 'text', text: message.text ?? '' };
}
