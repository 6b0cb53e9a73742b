import { z } from 'zod';
import type { IdentityKind } from '../db/schema.js';

/** Wire shapes of the contacts API; the read side's types are inferred from them (CONVENTIONS 9). */
const identityKinds = ['phone', 'email', 'whatsapp', 'external', 'messenger', 'instagram', 'x'] as const satisfies readonly IdentityKind[];
const instant = z.string().describe('ISO 8601 instant');

export const contactViewSchema = z.object({
  id: z.uuid(),
  displayName: z.string().nullable(),
  curp: z.string().nullable(),
  rfc: z.string().nullable(),
  nss: z.string().nullable(),
  mergedIntoId: z.uuid().nullable().describe('Set when this contact was merged: follow it to the surviving contact'),
  createdAt: instant,
  updatedAt: instant,
});

export const identityViewSchema = z.object({ id: z.uuid(), kind: z.enum(identityKinds), value: z.string(), channelId: z.uuid().nullable(), createdAt: instant });

export const historyEntrySchema = z.object({
  conversationId: z.uuid(),
  folio: z.string(),
  campaignId: z.uuid(),
  campaignName: z.string(),
  channelId: z.uuid(),
  channelKind: z.string(),
  channelName: z.string(),
  status: z.enum(['bot', 'queued', 'offered', 'assigned', 'waiting_contact', 'resolved', 'abandoned']),
  openedAt: instant,
  closedAt: instant.nullable(),
});

export const contactDetailSchema = contactViewSchema.extend({
  identities: z.array(identityViewSchema),
  history: z.array(historyEntrySchema).describe('Conversations in the caller’s campaigns, newest first'),
});

export const contactSummarySchema = contactViewSchema.extend({
  identities: z.array(z.object({ kind: z.enum(identityKinds), value: z.string() })),
  conversationCount: z.number().int().describe('Conversations in the caller’s campaigns'),
});

export const contactExportSchema = z.object({
  exportedAt: instant,
  exportedBy: z.uuid(),
  contact: contactViewSchema,
  identities: z.array(identityViewSchema),
  mergedContacts: z.array(contactViewSchema).describe('Contacts merged into this one; their conversations and identities are listed here'),
  conversations: z.array(
    z.object({
      id: z.uuid(),
      folio: z.string(),
      campaignId: z.uuid(),
      channelId: z.uuid(),
      status: z.string(),
      openedAt: instant,
      closedAt: instant.nullable(),
      messages: z.array(
        z.object({
          id: z.uuid(),
          direction: z.string(),
          senderType: z.string(),
          contentType: z.string(),
          text: z.string().nullable(),
          attachments: z.array(z.object({ url: z.string(), filename: z.string(), mimeType: z.string(), size: z.number(), caption: z.string() }).partial()),
          status: z.string(),
          createdAt: instant,
          raw: z.unknown().describe('The provider payload as received'),
        }),
      ),
    }),
  ),
  events: z.array(
    z.object({
      id: z.string(),
      occurredAt: instant,
      type: z.string(),
      campaignId: z.uuid(),
      conversationId: z.uuid().nullable(),
      actorType: z.string(),
      payload: z.unknown(),
    }),
  ),
});

export type ContactView = z.infer<typeof contactViewSchema>;
export type IdentityView = z.infer<typeof identityViewSchema>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type ContactDetail = z.infer<typeof contactDetailSchema>;
export type ContactSummary = z.infer<typeof contactSummarySchema>;
export type ContactExport = z.infer<typeof contactExportSchema>;
