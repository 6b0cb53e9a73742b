import { z } from 'zod';
import { templatesOf } from '@ventanilla/connectors/core';
import type { ReplyChannel } from './reply-policy.js';
import { serviceWindow } from './reply-policy.js';

export const replyOptionsSchema = z.object({
  windowHours: z.number().nullable().describe('Horas de la ventana de atención del canal (null: sin ventana) / customer-service window of the channel'),
  windowOpen: z.boolean().describe('Si se puede enviar texto libre ahora / whether free-form replies are allowed now'),
  windowClosesAt: z.string().nullable(),
  canSendMedia: z.boolean(),
  canSendInteractive: z.boolean(),
  templates: z.array(
    z.object({ name: z.string(), language: z.string(), category: z.string().optional(), body: z.string(), variables: z.number().int() }),
  ),
});
export type ReplyOptions = z.infer<typeof replyOptionsSchema>;

/** What the composer may offer in this conversation now (issue 6 items 2, 5). */
export function replyOptions(channel: ReplyChannel, lastInboundAt: Date | null, now: Date): ReplyOptions {
  const capabilities = channel.adapter.capabilities;
  const window = serviceWindow(channel, lastInboundAt, now);
  return {
    windowHours: window.windowHours,
    windowOpen: window.windowOpen,
    windowClosesAt: window.windowClosesAt?.toISOString() ?? null,
    canSendMedia: capabilities.media,
    canSendInteractive: capabilities.interactive,
    templates: capabilities.templates
      ? templatesOf(channel.settings).map((t) => ({ name: t.name, language: t.language, ...(t.category ? { category: t.category } : {}), body: t.body, variables: t.variables }))
      : [],
  };
}
