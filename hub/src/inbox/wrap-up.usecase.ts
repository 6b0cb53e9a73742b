import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Conversation, Database } from '../db/schema.js';
import type { DomainEvent } from '../domain/interaction-events.js';
import { HubError } from '../errors/error-registry.js';
import { bilingual } from '../router/config/routing-problem.js';
import { MAX_DISPOSITIONS, MIN_DISPOSITIONS, usableCodeIds } from './disposition-tree.js';

/**
 * The wrap-up an agent gives when resolving (seed-digest §12: "tipification 1–5 per interaction"):
 * checked and stored inside resolveConversation's transaction. Counts are checked here rather
 * than by the schema, so "none" and "too many" both answer HUB_ERR_DISPOSITION_REQUIRED.
 */
export const wrapUpFields = {
  dispositionCodeIds: z
    .array(z.uuid(bilingual('cada tipificación debe ser un UUID', 'each disposition code id must be a UUID')))
    .max(50, bilingual('demasiadas tipificaciones', 'too many disposition codes'))
    .optional()
    .describe('De 1 a 5 tipificaciones activas de la campaña; obligatorias si la campaña tiene alguna / 1–5 active codes of the campaign; required when the campaign has any'),
  summary: z.string().trim().max(2000, bilingual('el resumen admite hasta 2000 caracteres', 'summary is at most 2000 characters')).optional(),
};

export interface WrapUpInput {
  dispositionCodeIds?: readonly string[] | undefined;
  summary?: string | null | undefined;
}

interface Invalid {
  id: string;
  reason: 'duplicate' | 'unknown' | 'other_campaign' | 'inactive';
  es: string;
  en: string;
}

async function invalidCodes(trx: Transaction<Database>, campaignId: string, ids: readonly string[], codes: Map<string, { code: string }>, usable: Set<string>): Promise<Invalid[]> {
  const missing = ids.filter((id) => !codes.has(id));
  const elsewhere = new Set(missing.length > 0 ? (await trx.selectFrom('disposition_codes').select('id').where('id', 'in', missing).where('campaign_id', '!=', campaignId).execute()).map((r) => r.id) : []);
  return ids.flatMap((id, index): Invalid[] => {
    const code = codes.get(id);
    if (ids.indexOf(id) < index) return [{ id, reason: 'duplicate', es: `tipificación repetida: ${code?.code ?? id}`, en: `repeated disposition code: ${code?.code ?? id}` }];
    if (elsewhere.has(id)) return [{ id, reason: 'other_campaign', es: `la tipificación ${id} es de otra campaña`, en: `disposition code ${id} belongs to another campaign` }];
    if (!code) return [{ id, reason: 'unknown', es: `tipificación desconocida: ${id}`, en: `unknown disposition code: ${id}` }];
    if (!usable.has(id)) return [{ id, reason: 'inactive', es: `la tipificación ${code.code} está inactiva`, en: `disposition code ${code.code} is inactive` }];
    return [];
  });
}

/**
 * Validates and stores the wrap-up of `conversation` (locked by the caller); returns the
 * `conversation.tipified` event to append, or null when there is nothing to record.
 */
export async function recordWrapUp(trx: Transaction<Database>, conversation: Pick<Conversation, 'id' | 'campaign_id'>, agentId: string, input: WrapUpInput): Promise<DomainEvent | null> {
  const ids = input.dispositionCodeIds ?? [];
  const summary = input.summary?.trim() || null;
  const rows = await trx.selectFrom('disposition_codes').select(['id', 'parent_id', 'code', 'active']).where('campaign_id', '=', conversation.campaign_id).execute();
  const codes = new Map(rows.map((r) => [r.id, r]));
  const usable = usableCodeIds(rows.map((r) => ({ id: r.id, parentId: r.parent_id, active: r.active })));

  const invalid = await invalidCodes(trx, conversation.campaign_id, ids, codes, usable);
  if (invalid.length > 0) {
    const message = bilingual(invalid.map((i) => i.es).join('; '), invalid.map((i) => i.en).join('; '));
    throw new HubError('HUB_ERR_DISPOSITION_INVALID', message, { invalid: invalid.map(({ id, reason }) => ({ id, reason })) });
  }
  if (ids.length > MAX_DISPOSITIONS || (ids.length < MIN_DISPOSITIONS && usable.size > 0)) {
    throw new HubError(
      'HUB_ERR_DISPOSITION_REQUIRED',
      bilingual(
        `Seleccione de ${MIN_DISPOSITIONS} a ${MAX_DISPOSITIONS} tipificaciones para cerrar la conversación (recibidas: ${ids.length})`,
        `choose ${MIN_DISPOSITIONS} to ${MAX_DISPOSITIONS} disposition codes to close the conversation (received: ${ids.length})`,
      ),
      { min: MIN_DISPOSITIONS, max: MAX_DISPOSITIONS, received: ids.length },
    );
  }
  if (ids.length === 0 && summary === null) return null;

  if (ids.length > 0) {
    await trx
      .insertInto('conversation_dispositions')
      .values(ids.map((codeId, index) => ({ conversation_id: conversation.id, code_id: codeId, position: index + 1, agent_id: agentId })))
      .execute();
  }
  await trx.insertInto('conversation_wrap_ups').values({ conversation_id: conversation.id, agent_id: agentId, summary }).execute();
  return {
    type: 'conversation.tipified',
    conversationId: conversation.id,
    payload: { codeIds: [...ids], codes: ids.map((id) => codes.get(id)?.code ?? id), summary, agentId },
  };
}
