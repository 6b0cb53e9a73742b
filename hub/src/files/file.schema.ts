import { z } from 'zod';
import type { FileView } from '../realtime/events.contract.js';

/** FileView (events.contract.ts) as the REST API documents and serialises it. */
export const fileViewSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  filename: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  url: z.string(),
  previewUrl: z.string(),
}) satisfies z.ZodType<FileView>;
