import type { Kysely } from 'kysely';
import type { Database } from '../../hub/src/db/schema.js';
import { deriveAllFacts } from '../../hub/src/kpi/facts/derive-facts.js';

/** A channel of the given kind (the facts read the kind from `conversation.opened`). */
export async function createChannel(db: Kysely<Database>, campaignId: string, kind: string, settings: Record<string, unknown> = {}) {
  return db.insertInto('channels').values({ campaign_id: campaignId, kind, name: `Canal ${kind}`, settings: JSON.stringify(settings), secrets: '{}' }).returningAll().executeTakeFirstOrThrow();
}

export interface AttendedInput {
  campaignId: string;
  channelId: string;
  channelKind: string;
  agentId: string;
  answeredAt: Date;
  citizenText?: string;
}

/**
 * A finished, attended conversation as ingest and the router would leave it: the rows plus the
 * interaction events the KPI facts are derived from (opened → queued → assigned → resolved).
 * Call `deriveFactsNow` after creating them.
 */
export async function attendedConversation(db: Kysely<Database>, input: AttendedInput) {
  const contact = await db.insertInto('contacts').values({ display_name: 'Ciudadano de prueba' }).returning('id').executeTakeFirstOrThrow();
  const { folio } = await db.selectNoFrom((eb) => eb.fn<string>('next_folio', [eb.val(input.campaignId)]).as('folio')).executeTakeFirstOrThrow();
  const at = input.answeredAt.getTime();
  const conversation = await db
    .insertInto('conversations')
    .values({ folio, campaign_id: input.campaignId, channel_id: input.channelId, contact_id: contact.id, status: 'resolved', opened_at: new Date(at - 60_000), closed_at: new Date(at + 300_000) })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('messages')
    .values([
      { conversation_id: conversation.id, channel_id: input.channelId, direction: 'inbound', sender_type: 'contact', content_type: 'text', text: input.citizenText ?? '¿Cuál es el horario de la clínica?', status: 'received', created_at: new Date(at - 50_000) },
      { conversation_id: conversation.id, channel_id: input.channelId, direction: 'outbound', sender_type: 'agent', sender_id: input.agentId, content_type: 'text', text: 'Buen día, le atiende el Instituto. El horario es de 8 a 20 h.', status: 'sent', created_at: new Date(at + 10_000) },
    ])
    .execute();
  const ev = (type: string, ms: number, payload: Record<string, unknown>, actorType: 'system' | 'agent' = 'system') => ({
    type,
    occurred_at: new Date(ms),
    campaign_id: input.campaignId,
    conversation_id: conversation.id,
    actor_type: actorType,
    actor_id: actorType === 'agent' ? input.agentId : 'router',
    payload: JSON.stringify(payload),
  });
  await db
    .insertInto('interaction_events')
    .values([
      ev('conversation.opened', at - 60_000, { folio, channelId: input.channelId, channelKind: input.channelKind }),
      ev('conversation.queued', at - 30_000, { queueId: null, channelClass: input.channelKind === 'voice' ? 'voice' : 'text', priority: 0, seatType: 'PS-I', afterHours: false, preferredAgentId: null }),
      ev('conversation.assigned', at, { offerId: null, agentId: input.agentId, queueId: null, channelClass: input.channelKind === 'voice' ? 'voice' : 'text', seatType: 'PS-I', via: 'auto_accept' }),
      ev('conversation.released', at + 300_000, { agentId: input.agentId, channelClass: 'text', seatType: 'PS-I', cause: 'resolved' }),
      ev('conversation.resolved', at + 300_000, { agentId: input.agentId, reason: 'agent' }, 'agent'),
    ])
    .execute();
  return conversation;
}

export async function deriveFactsNow(db: Kysely<Database>): Promise<void> {
  await deriveAllFacts(db, { gapGraceMs: 0 });
}
