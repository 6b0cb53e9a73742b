import { z } from 'zod';
import type { NoteView } from '../realtime/events.contract.js';

/** NoteView (events.contract.ts) as the REST API documents and serialises it. */
export const noteViewSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  authorId: z.uuid().nullable(),
  authorType: z.enum(['agent', 'bot']),
  authorName: z.string(),
  text: z.string(),
  createdAt: z.string(),
}) satisfies z.ZodType<NoteView>;

export const addNoteBodySchema = z.object({ text: z.string().trim().min(1).max(4000) });
