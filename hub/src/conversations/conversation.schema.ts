import { z } from 'zod';
import { noteViewSchema } from '../notes/note.schema.js';
import type { ConversationListItem, ConversationSummary, MessageView, TimelineItem } from '../realtime/events.contract.js';

/** The REST shapes of conversations; each mirrors a type of events.contract.ts (checked with satisfies). */

export const statusSchema = z.enum(['bot', 'queued', 'offered', 'assigned', 'waiting_contact', 'resolved', 'abandoned']);

export const summarySchema = z.object({
  id: z.uuid(),
  folio: z.string(),
  campaignId: z.uuid(),
  channelId: z.uuid(),
  channelKind: z.string(),
  contactId: z.uuid(),
  contactName: z.string().nullable(),
  status: statusSchema,
  priority: z.number().int(),
  assigneeId: z.uuid().nullable(),
  unreadCount: z.number().int(),
  openedAt: z.string(),
  lastMessageAt: z.string(),
}) satisfies z.ZodType<ConversationSummary>;

export const listItemSchema = summarySchema.extend({
  queueId: z.uuid().nullable(),
  channelClass: z.enum(['text', 'voice', 'email']).nullable(),
  lastInboundAt: z.string().nullable(),
  lastOutboundAt: z.string().nullable(),
  assigneeName: z.string().nullable(),
}) satisfies z.ZodType<ConversationListItem>;

export const attachmentSchema = z.object({
  url: z.string().optional(),
  fileId: z.string().optional(),
  filename: z.string().optional(),
  mimeType: z.string().optional(),
  size: z.number().optional(),
  caption: z.string().optional(),
});

export const messageSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  direction: z.enum(['inbound', 'outbound']),
  senderType: z.enum(['contact', 'agent', 'bot', 'system']),
  senderId: z.string().nullable(),
  contentType: z.string(),
  text: z.string().nullable(),
  attachments: z.array(attachmentSchema),
  subject: z.string().nullable(),
  meta: z
    .object({
      interactive: z
        .object({
          text: z.string(),
          buttons: z.array(z.object({ id: z.string(), title: z.string() })).optional(),
          list: z
            .object({
              button: z.string(),
              sections: z.array(z.object({ title: z.string(), rows: z.array(z.object({ id: z.string(), title: z.string(), description: z.string().optional() })) })),
            })
            .optional(),
        })
        .optional(),
      template: z.object({ name: z.string(), language: z.string(), variables: z.array(z.string()) }).optional(),
    })
    .optional(),
  status: z.enum(['received', 'pending', 'sent', 'delivered', 'read', 'failed']),
  errorCode: z.string().nullable(),
  errorReason: z.string().nullable(),
  createdAt: z.string(),
}) satisfies z.ZodType<MessageView>;

export const timelineItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), at: z.string(), message: messageSchema }),
  z.object({ kind: z.literal('note'), at: z.string(), note: noteViewSchema }),
  z.object({
    kind: z.literal('event'),
    at: z.string(),
    event: z.object({ id: z.string(), type: z.string(), actorType: z.string(), actorId: z.string().nullable(), payload: z.record(z.string(), z.unknown()) }),
  }),
]) satisfies z.ZodType<TimelineItem>;
