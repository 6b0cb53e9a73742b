import { z } from 'zod';
import type { Kysely } from 'kysely';
import { normalizePhone } from '../../contacts/identity-normalize.js';
import type { Database } from '../../db/schema.js';
import type { VoiceCallback } from '../../db/schema-voice-voicemail.js';
import { HubError } from '../../errors/error-registry.js';

/** A phone a citizen or an agent typed: 10 digits or +52…, normalized to E.164 (es-MX first). */
export const callbackPhone = z
  .string({ error: 'Escriba el número telefónico / enter the phone number' })
  .trim()
  .min(1, 'Escriba el número telefónico / enter the phone number')
  .max(32, 'El número telefónico es demasiado largo / the phone number is too long')
  .transform((raw, context) => {
    const phone = normalizePhone(raw);
    if (!phone) {
      context.addIssue({ code: 'custom', message: 'Número telefónico inválido: use 10 dígitos, p. ej. 55 1234 5678 / invalid phone number: use 10 digits' });
      return z.NEVER;
    }
    return phone;
  });

const name = z.string().trim().min(1, 'El nombre no puede estar vacío / the name cannot be empty').max(200, 'El nombre es demasiado largo (máx. 200) / the name is too long (max 200)');
const note = z.string().trim().max(1000, 'La nota es demasiado larga (máx. 1000) / the note is too long (max 1000)');

/** Staff and integrations: POST /api/v1/voice/callbacks. */
export const createCallbackBody = z.strictObject({
  campaignId: z.uuid('Campaña no válida / invalid campaign'),
  channelId: z.uuid('Canal no válido / invalid channel').optional(),
  phone: callbackPhone,
  name: name.optional(),
  note: note.optional(),
  /** Not before (e.g. the time the citizen asked for); default now. */
  dueAt: z.iso.datetime({ offset: true, message: 'Fecha y hora no válidas (ISO 8601) / invalid date-time (ISO 8601)' }).optional(),
});

/** The web chat widget: POST /widget/v1/callbacks (the visitor's campaign). */
export const widgetCallbackBody = z.strictObject({ phone: callbackPhone, name: name.optional(), note: note.optional() });

export const callbackStatusSchema = z.enum(['pending', 'queued', 'dialing', 'connected', 'completed', 'failed', 'cancelled']);

export const listCallbacksQuery = z.object({
  campaignId: z.uuid(),
  status: callbackStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const callbackViewSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  channelId: z.uuid(),
  conversationId: z.uuid(),
  folio: z.string(),
  source: z.string(),
  phone: z.string(),
  name: z.string().nullable(),
  note: z.string().nullable(),
  status: callbackStatusSchema,
  attempts: z.number(),
  maxAttempts: z.number(),
  outcome: z.string().nullable(),
  requestedAt: z.string(),
  dueAt: z.string(),
  agentId: z.string().nullable(),
  lastCallSid: z.string().nullable(),
});
export type CallbackView = z.infer<typeof callbackViewSchema>;

export function toCallbackView(row: VoiceCallback, folio: string): CallbackView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    channelId: row.channel_id,
    conversationId: row.conversation_id,
    folio,
    source: row.source,
    phone: row.phone,
    name: row.name,
    note: row.note,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    outcome: row.outcome,
    requestedAt: row.requested_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    agentId: row.agent_id,
    lastCallSid: row.last_call_sid,
  };
}

/** The campaign's voice channel for a call-back: the one named (of that campaign), else its first enabled one. */
export async function callbackChannelId(db: Kysely<Database>, campaignId: string, channelId?: string): Promise<string> {
  let query = db.selectFrom('channels').select('id').where('campaign_id', '=', campaignId).where('kind', '=', 'voice').where('enabled', '=', true);
  if (channelId !== undefined) query = query.where('id', '=', channelId);
  const row = await query.orderBy('created_at').orderBy('id').executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND', 'La campaña no tiene un canal de voz activo para devolver llamadas / the campaign has no enabled voice channel for call-backs');
  return row.id;
}
