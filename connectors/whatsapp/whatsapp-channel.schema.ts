import { z } from 'zod';
import { templateCatalogueSchema } from '../core/message-template.schema.js';

/** Settings of a WhatsApp Business Cloud API channel; the three secrets are stored apart. */
export const whatsappChannelSettingsSchema = z.object({
  /** Graph id of the business phone number (not the number itself): the sender of every reply. */
  phoneNumberId: z.string().regex(/^\d{1,32}$/, 'Identificador numérico del número de teléfono / numeric phone number id'),
  businessAccountId: z.string().regex(/^\d{1,32}$/).optional(),
  graphApiVersion: z.string().regex(/^v\d{1,3}\.\d{1,3}$/, 'Versión como v21.0 / version such as v21.0').default('v21.0'),
  /** Meta's Graph API; the provider harness (test/harness/whatsapp) points it at itself. */
  graphBaseUrl: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com'),
  /**
   * The approved templates (created and approved in Meta's WhatsApp Manager; the hub only sends
   * them): outside the 24-hour window only these may go. The generic catalogue shape, read by
   * the hub's reply rules through `templatesOf`.
   */
  templates: templateCatalogueSchema
    .refine((ts) => new Set(ts.map((t) => `${t.name}/${t.language}`)).size === ts.length, 'Plantilla repetida (nombre e idioma) / duplicate template (name and language)')
    .default([]),
  /** Below Meta's 80 messages/s per number when the number's tier is lower. */
  maxSendsPerSecond: z.number().int().min(1).max(1000).optional(),
});
export type WhatsAppChannelSettings = z.infer<typeof whatsappChannelSettingsSchema>;

/** Secrets typed by the admin (Meta app dashboard): never shown back. */
export const WHATSAPP_SECRET_NAMES = ['accessToken', 'appSecret', 'verifyToken'] as const;
