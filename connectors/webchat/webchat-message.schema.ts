import { z } from 'zod';

/**
 * What the widget receives as `message.created` for a reply (hub/src/webchat/widget.contract.ts
 * WidgetMessage; the hub checks at compile time that the two stay the same shape). Defined here
 * because a connector must not depend on the hub.
 */
export const widgetAttachmentSchema = z.object({
  fileId: z.uuid().optional(),
  filename: z.string(),
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
  url: z.string(),
});

export const widgetMessageSchema = z.object({
  id: z.string().min(1),
  clientMessageId: z.string().nullable(),
  sender: z.enum(['citizen', 'agent', 'bot', 'system']),
  senderName: z.string().nullable(),
  text: z.string().nullable(),
  attachments: z.array(widgetAttachmentSchema),
  createdAt: z.string(),
});
export type WebchatWidgetMessage = z.infer<typeof widgetMessageSchema>;

/** encodeOutbound's body: the visitor's room and the message, minus the send time send() stamps. */
export const webchatOutboundBodySchema = z.object({
  visitorId: z.string().nullable(),
  message: widgetMessageSchema.omit({ createdAt: true }),
});
export type WebchatOutboundBody = z.infer<typeof webchatOutboundBodySchema>;
