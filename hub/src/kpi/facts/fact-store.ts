import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { buildContactFact, type ContactFact, type FactEvent } from './contact-fact.js';

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

const uuidArray = (ids: readonly string[]): RawBuilder<unknown> => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** A citizen in a campaign: the set whose facts' next_opened_at depend on each other. */
export interface CitizenKey {
  readonly campaignId: string;
  readonly contactId: string;
}

/** The citizens of these facts as they are stored now (before a rewrite or a delete changes them). */
export async function citizensOf(db: Db, conversationIds: readonly string[]): Promise<CitizenKey[]> {
  if (conversationIds.length === 0) return [];
  const rows = await sql<{ campaign_id: string; contact_id: string }>`
    SELECT DISTINCT campaign_id, contact_id FROM kpi_contact_facts
    WHERE conversation_id = ANY(${uuidArray(conversationIds)}) AND contact_id IS NOT NULL`.execute(db);
  return rows.rows.map((r) => ({ campaignId: r.campaign_id, contactId: r.contact_id }));
}

/**
 * FCR made a per-row test: each fact's next_opened_at is the first *other* conversation of the
 * same citizen in the campaign opened after the fact's resolved_at (null: none, not resolved, or
 * no citizen). A repeat inside the window ⇔ next_opened_at ≤ resolved_at + window. Recomputed,
 * set-based, for every fact of the citizens touched (a fact's own change moves its neighbours'
 * values); `previous` adds the citizens a rewrite or delete took the facts away from. Same input
 * rows → same values, whichever of the listener or the recompute writes them.
 */
export async function refreshNextOpened(db: Db, conversationIds: readonly string[], previous: readonly CitizenKey[] = []): Promise<void> {
  if (conversationIds.length === 0 && previous.length === 0) return;
  const prior =
    previous.length === 0
      ? sql`SELECT NULL::uuid AS campaign_id, NULL::uuid AS contact_id WHERE false`
      : sql`SELECT * FROM (VALUES ${sql.join(previous.map((c) => sql`(${c.campaignId}::uuid, ${c.contactId}::uuid)`))}) AS p(campaign_id, contact_id)`;
  await sql`
    WITH ids AS (SELECT unnest(${uuidArray(conversationIds)}) AS conversation_id),
    touched AS (
      SELECT f.campaign_id, f.contact_id FROM kpi_contact_facts f JOIN ids USING (conversation_id) WHERE f.contact_id IS NOT NULL
      UNION ${prior}
    ),
    members AS (
      SELECT f.conversation_id FROM touched t JOIN kpi_contact_facts f ON f.campaign_id = t.campaign_id AND f.contact_id = t.contact_id
      UNION SELECT conversation_id FROM ids
    ),
    next AS (
      SELECT f.conversation_id, (
        SELECT min(g.opened_at) FROM kpi_contact_facts g
        WHERE g.campaign_id = f.campaign_id AND g.contact_id = f.contact_id AND g.conversation_id <> f.conversation_id AND g.opened_at > f.resolved_at
      ) AS next_opened_at
      FROM members m JOIN kpi_contact_facts f USING (conversation_id)
    )
    UPDATE kpi_contact_facts f SET next_opened_at = n.next_opened_at FROM next n
    WHERE f.conversation_id = n.conversation_id AND f.next_opened_at IS DISTINCT FROM n.next_opened_at`.execute(db);
}

/**
 * Rebuilds the facts of these conversations from all their events (any campaign, whole history).
 * `previous`: citizens of facts the caller deleted first (the recompute), whose FCR neighbours move.
 */
export async function rebuildContacts(db: Db, conversationIds: readonly string[], previous: readonly CitizenKey[] = []): Promise<number> {
  if (conversationIds.length === 0) {
    await refreshNextOpened(db, [], previous);
    return 0;
  }
  const before = [...previous, ...(await citizensOf(db, conversationIds))];
  const rows = await db
    .selectFrom('interaction_events')
    .select(['id', 'type', 'campaign_id', 'conversation_id', 'contact_id', 'occurred_at', 'actor_type', 'payload'])
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
    entry.events.push({ id: Number(row.id), type: row.type, occurredAtMs: row.occurred_at.getTime(), actorType: row.actor_type, payload: row.payload, contactId: row.contact_id });
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
      contact_id: f.contactId,
      opened_at: iso(f.openedAtMs),
      reopened: f.reopened,
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
          contact_id: eb.ref('excluded.contact_id'),
          opened_at: eb.ref('excluded.opened_at'),
          reopened: eb.ref('excluded.reopened'),
        })),
      )
      .execute();
  }
  await writeSegments(db, facts);
  await refreshNextOpened(db, facts.map((f) => f.conversationId), before);
  return facts.length;
}

/** Replaces the agent segments of these contacts (same rows every time: seq is the span's order). */
async function writeSegments(db: Db, facts: readonly ContactFact[]): Promise<void> {
  for (let i = 0; i < facts.length; i += 1000) {
    const chunk = facts.slice(i, i + 1000);
    await db.deleteFrom('kpi_agent_segments').where('conversation_id', 'in', chunk.map((f) => f.conversationId)).execute();
    const rows = chunk.flatMap((f) =>
      f.segments.map((segment, seq) => ({
        conversation_id: f.conversationId,
        seq,
        campaign_id: f.campaignId,
        agent_id: segment.agentId,
        kind: segment.kind,
        channel_class: segment.channelClass,
        started_at: new Date(segment.startedAtMs).toISOString(),
        ended_at: new Date(segment.endedAtMs).toISOString(),
      })),
    );
    for (let j = 0; j < rows.length; j += 2000) await db.insertInto('kpi_agent_segments').values(rows.slice(j, j + 2000)).execute();
  }
}

interface StateRow {
  readonly id: number;
  readonly campaignId: string;
  readonly agentId: string;
  readonly state: string;
  readonly reason: string | null;
  readonly at: string;
}

function stateRowOf(event: RawEvent): StateRow | null {
  if (event.type !== 'agent.state_changed') return null;
  const agentId = event.payload['agentId'];
  const state = event.payload['to'];
  if (typeof agentId !== 'string' || typeof state !== 'string') return null;
  const reason = typeof event.payload['reason'] === 'string' ? event.payload['reason'] : null;
  return { id: event.id, campaignId: event.campaignId, agentId, state, reason, at: event.occurredAt.toISOString() };
}

/**
 * Applies agent.state_changed events as a set: each opens its interval, and every interval of the
 * agents concerned — from the one before the earliest new event on — ends where that agent's next
 * interval in the same campaign starts (by event id), or stays open. Two statements per 1,000
 * events instead of two per event; re-applying an event changes nothing (at-least-once listener).
 */
export async function applyStateEvents(db: Db, events: readonly RawEvent[]): Promise<number> {
  const rows = events.flatMap((event) => stateRowOf(event) ?? []);
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const values = sql.join(chunk.map((r) => sql`(${r.id}::bigint, ${r.campaignId}::uuid, ${r.agentId}::text, ${r.state}::text, ${r.reason}::text, ${r.at}::timestamptz)`));
    await sql`
      INSERT INTO kpi_agent_intervals (start_event_id, campaign_id, agent_id, state, reason, started_at)
      SELECT * FROM (VALUES ${values}) AS v(id, campaign_id, agent_id, state, reason, at)
      ON CONFLICT (start_event_id) DO NOTHING`.execute(db);
    await sql`
      WITH touched AS (
        SELECT campaign_id, agent_id, min(id) AS min_id FROM (VALUES ${values}) AS v(id, campaign_id, agent_id, state, reason, at)
        GROUP BY campaign_id, agent_id
      ),
      bounds AS (
        SELECT t.campaign_id, t.agent_id, COALESCE((
          SELECT max(k.start_event_id) FROM kpi_agent_intervals k
          WHERE k.campaign_id = t.campaign_id AND k.agent_id = t.agent_id AND k.start_event_id < t.min_id), t.min_id) AS from_id
        FROM touched t
      ),
      chain AS (
        SELECT k.start_event_id,
          lead(k.started_at) OVER w AS next_at,
          lead(k.start_event_id) OVER w AS next_id
        FROM bounds b JOIN kpi_agent_intervals k ON k.campaign_id = b.campaign_id AND k.agent_id = b.agent_id AND k.start_event_id >= b.from_id
        WINDOW w AS (PARTITION BY k.campaign_id, k.agent_id ORDER BY k.start_event_id)
      )
      UPDATE kpi_agent_intervals i SET ended_at = chain.next_at, end_event_id = chain.next_id
      FROM chain
      WHERE i.start_event_id = chain.start_event_id AND i.end_event_id IS DISTINCT FROM chain.next_id`.execute(db);
  }
  return rows.length;
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
