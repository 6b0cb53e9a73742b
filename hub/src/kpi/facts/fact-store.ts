import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { buildContactFact, type FactEvent } from './contact-fact.js';

/** Writes of the KPI facts shared by the listener and the recompute (one code path → same rows). */
export type Db = Kysely<Database> | Transaction<Database>;

export interface RawEvent {
  readonly id: number;
  readonly type: string;
  readonly campaignId: string;
  readonly conversationId: string | null;
  readonly occurredAt: Date;
  readonly actorType: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Rebuilds the facts of these conversations from all their events (any campaign, whole history). */
export async function rebuildContacts(db: Db, conversationIds: readonly string[]): Promise<number> {
  if (conversationIds.length === 0) return 0;
  const rows = await db
    .selectFrom('interaction_events')
    .select(['id', 'type', 'campaign_id', 'conversation_id', 'occurred_at', 'actor_type', 'payload'])
    .where('conversation_id', 'in', [...conversationIds])
    .orderBy('id')
    .execute();
  const byConversation = new Map<string, { campaignId: string; events: FactEvent[] }>();
  for (const row of rows) {
    if (row.conversation_id === null) continue;
    let entry = byConversation.get(row.conversation_id);
    if (!entry) {
      entry = { campaignId: row.campaign_id, events: [] };
      byConversation.set(row.conversation_id, entry);
    }
    // The contact belongs to the campaign whose queue received it.
    if ((row.type === 'conversation.queued' || row.type === 'call.enqueued') && !entry.events.some((e) => e.type === 'conversation.queued' || e.type === 'call.enqueued')) {
      entry.campaignId = row.campaign_id;
    }
    entry.events.push({ id: Number(row.id), type: row.type, occurredAtMs: row.occurred_at.getTime(), actorType: row.actor_type, payload: row.payload });
  }
  const facts = [...byConversation].map(([conversationId, entry]) => buildContactFact(conversationId, entry.campaignId, entry.events));
  for (let i = 0; i < facts.length; i += 1000) {
    const values = facts.slice(i, i + 1000).map((f) => ({
      conversation_id: f.conversationId,
      campaign_id: f.campaignId,
      channel_id: f.channelId,
      channel_kind: f.channelKind,
      channel_class: f.channelClass,
      folio: f.folio,
      queue_id: f.queueId,
      received_at: iso(f.receivedAtMs),
      offered_at: iso(f.offeredAtMs),
      answered_at: iso(f.answeredAtMs),
      answer_wait_ms: f.answerWaitMs,
      abandoned_at: iso(f.abandonedAtMs),
      abandon_wait_ms: f.abandonWaitMs,
      first_response_at: iso(f.firstResponseAtMs),
      resolved_at: iso(f.resolvedAtMs),
      talk_ms: f.talkMs,
      hold_ms: f.holdMs,
      transfers: f.transfers,
      tier2_transferred: f.tier2Transferred,
      tier2_reason: f.tier2Reason,
      survey_offered: f.surveyOffered,
      survey_answered: f.surveyAnswered,
      first_agent_id: f.firstAgentId,
      agent_ids: [...f.agentIds],
      updated_from_event_id: f.updatedFromEventId,
    }));
    await db
      .insertInto('kpi_contact_facts')
      .values(values)
      .onConflict((oc) =>
        oc.column('conversation_id').doUpdateSet((eb) => ({
          campaign_id: eb.ref('excluded.campaign_id'),
          channel_id: eb.ref('excluded.channel_id'),
          channel_kind: eb.ref('excluded.channel_kind'),
          channel_class: eb.ref('excluded.channel_class'),
          folio: eb.ref('excluded.folio'),
          queue_id: eb.ref('excluded.queue_id'),
          received_at: eb.ref('excluded.received_at'),
          offered_at: eb.ref('excluded.offered_at'),
          answered_at: eb.ref('excluded.answered_at'),
          answer_wait_ms: eb.ref('excluded.answer_wait_ms'),
          abandoned_at: eb.ref('excluded.abandoned_at'),
          abandon_wait_ms: eb.ref('excluded.abandon_wait_ms'),
          first_response_at: eb.ref('excluded.first_response_at'),
          resolved_at: eb.ref('excluded.resolved_at'),
          talk_ms: eb.ref('excluded.talk_ms'),
          hold_ms: eb.ref('excluded.hold_ms'),
          transfers: eb.ref('excluded.transfers'),
          tier2_transferred: eb.ref('excluded.tier2_transferred'),
          tier2_reason: eb.ref('excluded.tier2_reason'),
          survey_offered: eb.ref('excluded.survey_offered'),
          survey_answered: eb.ref('excluded.survey_answered'),
          first_agent_id: eb.ref('excluded.first_agent_id'),
          agent_ids: eb.ref('excluded.agent_ids'),
          updated_from_event_id: eb.ref('excluded.updated_from_event_id'),
        })),
      )
      .execute();
  }
  return facts.length;
}

/**
 * Applies agent.state_changed events in id order: each opens its interval (closed by the agent's
 * next interval in the same campaign if that is already known) and closes the agent's previous one.
 * Re-applying an event changes nothing, so the listener may see an event twice.
 */
export async function applyStateEvents(db: Db, events: readonly RawEvent[]): Promise<number> {
  let applied = 0;
  for (const event of events) {
    if (event.type !== 'agent.state_changed') continue;
    const agentId = event.payload['agentId'];
    const state = event.payload['to'];
    if (typeof agentId !== 'string' || typeof state !== 'string') continue;
    const reason = typeof event.payload['reason'] === 'string' ? event.payload['reason'] : null;
    const at = event.occurredAt.toISOString();
    await sql`
      UPDATE kpi_agent_intervals SET ended_at = ${at}::timestamptz, end_event_id = ${event.id}
      WHERE start_event_id = (
        SELECT max(start_event_id) FROM kpi_agent_intervals
        WHERE campaign_id = ${event.campaignId}::uuid AND agent_id = ${agentId} AND start_event_id < ${event.id}
      ) AND (end_event_id IS NULL OR end_event_id > ${event.id})`.execute(db);
    await sql`
      INSERT INTO kpi_agent_intervals (start_event_id, campaign_id, agent_id, state, reason, started_at, ended_at, end_event_id)
      SELECT ${event.id}, ${event.campaignId}::uuid, ${agentId}, ${state}, ${reason}, ${at}::timestamptz, next.started_at, next.start_event_id
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
        SELECT started_at, start_event_id FROM kpi_agent_intervals
        WHERE campaign_id = ${event.campaignId}::uuid AND agent_id = ${agentId} AND start_event_id > ${event.id}
        ORDER BY start_event_id LIMIT 1
      ) next ON true
      ON CONFLICT (start_event_id) DO UPDATE SET ended_at = excluded.ended_at, end_event_id = excluded.end_event_id`.execute(db);
    applied += 1;
  }
  return applied;
}

/**
 * After-contact work per contact: the after_contact_work intervals whose reason is the contact's
 * folio (router/usecases/session-end.usecase.ts sets it), once closed. Refreshes the given
 * conversations and those whose ACW interval started or ended in the event-id range (from, to].
 */
export async function refreshAfterContactWork(db: Db, conversationIds: readonly string[], fromEventId: number, toEventId: number): Promise<void> {
  const ids = sql.join(conversationIds.length > 0 ? conversationIds.map((id) => sql`${id}::uuid`) : [sql`NULL::uuid`]);
  await sql`
    UPDATE kpi_contact_facts f SET acw_ms = COALESCE((
      SELECT sum(round(extract(epoch FROM (i.ended_at - i.started_at)) * 1000))::bigint
      FROM kpi_agent_intervals i
      WHERE i.campaign_id = f.campaign_id AND i.state = 'after_contact_work' AND i.reason = f.folio AND i.ended_at IS NOT NULL
    ), 0)
    WHERE f.conversation_id IN (${ids})
       OR (f.folio IS NOT NULL AND EXISTS (
         SELECT 1 FROM kpi_agent_intervals i
         WHERE i.campaign_id = f.campaign_id AND i.state = 'after_contact_work' AND i.reason = f.folio
           AND ((i.start_event_id > ${fromEventId} AND i.start_event_id <= ${toEventId}) OR (i.end_event_id > ${fromEventId} AND i.end_event_id <= ${toEventId}))))`.execute(db);
}
