import { z } from 'zod';

/**
 * Settings of a whatsapp-web.js session channel. No secrets: the "credential" is the paired
 * WhatsApp Web session the hub keeps on disk (LocalAuth under DATA_DIR/whatsapp-web).
 */
export const whatsappWebChannelSettingsSchema = z.object({
  /**
   * Reply to group chats too. Off by default: a citizen-service number answers people, and a
   * group message would open one conversation for everyone in the group.
   */
  acceptGroups: z.boolean().default(false).describe('Atender mensajes de grupos / accept group chats'),
});
export type WhatsAppWebChannelSettings = z.infer<typeof whatsappWebChannelSettingsSchema>;

/** A WhatsApp id the library sends to: `<digits>@c.us` (a phone) or `<digits>@lid` (a linked id). */
export const whatsappChatIdSchema = z.string().regex(/^\d{5,20}@(?:c\.us|lid|g\.us)$/);

/**
 * What `encodeOutbound` builds and the hub's session manager sends: it crosses from the outbound
 * worker to the session through `SendContext.sessions`, so it is parsed again there.
 */
export const whatsappWebOutboundSchema = z.object({
  chatId: whatsappChatIdSchema,
  text: z.string().min(1).max(65_536).optional(),
  media: z
    .object({
      url: z.url().optional(),
      fileId: z.uuid().optional(),
      filename: z.string().max(255).optional(),
      mimetype: z.string().max(127).optional(),
      caption: z.string().max(4096).optional(),
    })
    .refine((m) => m.url ?? m.fileId, { message: 'media needs a url or a stored fileId' })
    .optional(),
});
export type WhatsAppWebOutbound = z.infer<typeof whatsappWebOutboundSchema>;
