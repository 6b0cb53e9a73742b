import { z } from 'zod';
import type { InternalMessageView } from '../realtime/events.contract.js';

export const INTERNAL_MESSAGE_MAX = 2000;

export const internalMessageViewSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  fromUserId: z.uuid(),
  fromName: z.string(),
  toUserId: z.uuid(),
  toName: z.string(),
  body: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
}) satisfies z.ZodType<InternalMessageView>;

export const sendBodySchema = z.object({
  campaignId: z.uuid(),
  toUserId: z.uuid(),
  body: z.string().trim().min(1).max(INTERNAL_MESSAGE_MAX),
});

export const broadcastBodySchema = z.object({
  campaignId: z.uuid(),
  body: z.string().trim().min(1).max(INTERNAL_MESSAGE_MAX),
});

export const threadQuerySchema = z.object({
  with: z.uuid(),
  /** Cursor: messages strictly older than this instant (the previous page's nextBefore). */
  before: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const exportQuerySchema = z
  .object({
    campaignId: z.uuid(),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from debe ser anterior a to / from must be before to', path: ['to'] });

export const threadSummarySchema = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  lastBody: z.string(),
  lastAt: z.string(),
  unreadCount: z.number().int(),
});

export const contactSchema = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  roles: z.array(z.string()),
  campaignId: z.uuid(),
  campaignName: z.string(),
});
