import { z } from 'zod';

const text = z.string().trim().min(1, 'escriba un mensaje / write a message').max(2000, 'máximo 2000 caracteres / 2000 characters at most');

/** A whisper's text; on a call it may be left out to only switch the leg to coach mode. */
export const whisperBodySchema = z.strictObject({ text: text.optional() });
/** Barge on a text channel: the message to the citizen; on a call: no text (the leg joins three-way). */
export const bargeBodySchema = z.strictObject({ text: text.optional() });

/** The takeover reasons offered in the inbox (plus free text, required for `other`). */
export const TAKEOVER_REASONS = ['quality', 'escalation', 'complaint', 'agent_unavailable', 'training', 'other'] as const;
export type TakeoverReason = (typeof TAKEOVER_REASONS)[number];

export const takeoverBodySchema = z
  .strictObject({
    reasonCode: z.enum(TAKEOVER_REASONS, 'elija un motivo de la lista / pick a reason from the list'),
    reasonText: z.string().trim().max(500, 'máximo 500 caracteres / 500 characters at most').optional(),
  })
  .refine((b) => b.reasonCode !== 'other' || (b.reasonText !== undefined && b.reasonText.length > 0), {
    message: 'describa el motivo / describe the reason',
    path: ['reasonText'],
  });

export const modeSchema = z.enum(['monitor', 'whisper', 'barge']);

export const whisperViewSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  supervisorId: z.uuid(),
  supervisorName: z.string(),
  agentId: z.uuid(),
  text: z.string(),
  createdAt: z.string(),
});

export const monitorViewSchema = z.object({
  supervisorId: z.uuid(),
  supervisorName: z.string(),
  mode: modeSchema,
  startedAt: z.string(),
});

export const supervisionStateSchema = z.object({
  conversationId: z.uuid(),
  assigneeId: z.uuid().nullable(),
  voice: z.boolean(),
  /** Campaign setting: the agent sees «Supervisado» while monitored. */
  agentSeesMonitoring: z.boolean(),
  /** Open monitoring sessions (for the agent: only when the campaign shows them). */
  monitors: z.array(monitorViewSchema),
  whispers: z.array(whisperViewSchema),
  /** The caller's own open session. */
  mine: monitorViewSchema.nullable(),
});

export const liveSessionSchema = z.object({
  conversationId: z.uuid(),
  folio: z.string(),
  campaignId: z.uuid(),
  channelKind: z.string(),
  channelClass: z.enum(['text', 'voice', 'email']).nullable(),
  contactName: z.string().nullable(),
  status: z.string(),
  agentId: z.uuid(),
  agentName: z.string(),
  lastMessageAt: z.string(),
  monitoredByMe: z.boolean(),
});
