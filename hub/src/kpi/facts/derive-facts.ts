import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { applyStateEvents, citizensOf, type Db, type RawEvent, rebuildContacts, refreshAfterContactWork } from './fact-store.js';

export interface DeriveOptions {
  /** Start after this event id instead of the stored cursor (the cursor still advances). */
  readonly fromEventId?: number;
  /** Only this campaign's events, with its own cursor (`campaign:<id>`). */
  readonly campaignId?: string;
  /** Events per pass; default 5000. */
  readonly batchSize?: number;
  /** How long the cursor waits at a missing event id before skipping it; default 10 s. */
  readonly gapGraceMs?: number;
  readonly now?: () => Date;
}

export const DEFAULT_GAP_GRACE_MS = 10_000;

interface CursorRow {
  last_event_id: string;
  gap_event_id: string | null;
  gap_seen_at: Date | null;
}

/**
 * How far the cursor may move: past contiguous ids, and past a missing id only once it has been
 * missing for the grace period (in flight → it will commit and be read; rolled back → skipped).
 */
export function advanceCursor(from: number, ids: readonly number[], cursor: CursorRow, nowMs: number, graceMs: number): { to: number; gap: { id: number; seenAt: Date } | null } {
  let to = from;
  for (const id of ids) {
    if (id <= to) continue;
    if (id === to + 1) {
      to = id;
      continue;
    }
    const gapId = to + 1;
    const known = cursor.gap_event_id !== null && Number(cursor.gap_event_id) === gapId && cursor.gap_seen_at !== null;
    if (known && nowMs - (cursor.gap_seen_at as Date).getTime() >= graceMs) {
      to = id;
      continue;
    }
    return { to, gap: { id: gapId, seenAt: known ? (cursor.gap_seen_at as Date) : new Date(nowMs) } };
  }
  return { to, gap: null };
}

export interface DeriveResult {
  readonly events: number;
  readonly contacts: number;
  readonly intervals: number;
  readonly lastEventId: number;
  /** The cursor moved: false when caught up or waiting at a gap (call again later). */
  readonly advanced: boolean;
}

export function cursorNameOf(campaignId?: string): string {
  return campaignId === undefined ? 'all' : `campaign:${campaignId}`;
}

async function readEvents(db: Db, afterId: number, limit: number, campaignId?: string): Promise<RawEvent[]> {
  let query = db
    .selectFrom('interaction_events')
    .select(['id', 'type', 'campaign_id', 'conversation_id', 'occurred_at', 'actor_type', 'payload'])
    .where('id', '>', String(afterId));
  if (campaignId !== undefined) query = query.where('campaign_id', '=', campaignId);
  const rows = await query.orderBy('id').limit(limit).execute();
  return rows.map((row) => ({
    id: Number(row.id),
    type: row.type,
    campaignId: row.campaign_id,
    conversationId: row.conversation_id,
    occurredAt: row.occurred_at,
    actorType: row.actor_type,
    payload: row.payload,
  }));
}

/** Upserts the facts touched by these events; the same events applied twice give the same rows. */
async function applyEvents(db: Db, events: readonly RawEvent[], fromEventId: number, toEventId: number): Promise<{ contacts: number; intervals: number }> {
  const conversationIds = [...new Set(events.flatMap((e) => (e.conversationId === null ? [] : [e.conversationId])))];
  const intervals = await applyStateEvents(db, events);
  const contacts = await rebuildContacts(db, conversationIds);
  await refreshAfterContactWork(db, conversationIds, fromEventId, toEventId);
  return { contacts, intervals };
}

/**
 * The KPI listener: one pass over the events after the cursor, in id order, under a row lock on
 * the cursor (several worker processes: one derives, the others skip the pass). Returns what it
 * did; 0 events = caught up (or another process is at it).
 */
export async function deriveFacts(db: Kysely<Database>, options: DeriveOptions = {}): Promise<DeriveResult> {
  const name = cursorNameOf(options.campaignId);
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('kpi_cursor').values({ name, last_event_id: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const cursor = await trx
      .selectFrom('kpi_cursor')
      .select(['last_event_id', 'gap_event_id', 'gap_seen_at'])
      .where('name', '=', name)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    // Another process is deriving this cursor now: this pass has nothing to do (no connection
    // held waiting for it — under load three waiting processes took three pool connections).
    if (!cursor) return { events: 0, contacts: 0, intervals: 0, lastEventId: options.fromEventId ?? 0, advanced: false };
    const from = options.fromEventId ?? Number(cursor.last_event_id);
    const events = await readEvents(trx, from, options.batchSize ?? 5000, options.campaignId);
    const last = events.at(-1)?.id ?? from;
    if (events.length === 0) return { events: 0, contacts: 0, intervals: 0, lastEventId: from, advanced: false };
    const applied = await applyEvents(trx, events, from, last);
    // A one-campaign cursor sees other campaigns' ids as gaps: it only needs id order, not contiguity.
    const now = (options.now ?? (() => new Date()))();
    const advance =
      options.campaignId === undefined
        ? advanceCursor(from, events.map((e) => e.id), cursor, now.getTime(), options.gapGraceMs ?? DEFAULT_GAP_GRACE_MS)
        : { to: last, gap: null };
    await trx
      .updateTable('kpi_cursor')
      .set({ last_event_id: advance.to, gap_event_id: advance.gap?.id ?? null, gap_seen_at: advance.gap?.seenAt ?? null, updated_at: now })
      .where('name', '=', name)
      .execute();
    return { events: events.length, ...applied, lastEventId: advance.to, advanced: advance.to > from };
  });
}

/** Runs passes until caught up or waiting at a gap (tests, backfills). */
export async function deriveAllFacts(db: Kysely<Database>, options: DeriveOptions = {}): Promise<DeriveResult> {
  let total: DeriveResult = { events: 0, contacts: 0, intervals: 0, lastEventId: options.fromEventId ?? 0, advanced: false };
  let fromEventId = options.fromEventId;
  for (;;) {
    const pass = await deriveFacts(db, fromEventId === undefined ? options : { ...options, fromEventId });
    total = {
      events: total.events + pass.events,
      contacts: total.contacts + pass.contacts,
      intervals: total.intervals + pass.intervals,
      lastEventId: pass.lastEventId,
      advanced: total.advanced || pass.advanced,
    };
    if (!pass.advanced) return total;
    if (fromEventId !== undefined) fromEventId = pass.lastEventId;
  }
}

/**
 * Rebuilds from scratch the facts of a campaign's contacts with events in [from, to) and its agent
 * intervals that start in [from, to): deletes them and re-derives them from the append-only events
 * with the listener's own code, so the rows come out identical. The cursor does not move.
 */
export async function recomputeFacts(db: Kysely<Database>, campaignId: string, from: Date, to: Date): Promise<{ contacts: number; intervals: number }> {
  return db.transaction().execute(async (trx) => {
    const touched = await trx
      .selectFrom('interaction_events')
      .select('conversation_id')
      .distinct()
      .where('campaign_id', '=', campaignId)
      .where('occurred_at', '>=', from)
      .where('occurred_at', '<', to)
      .where('conversation_id', 'is not', null)
      .execute();
    const stale = await trx
      .selectFrom('kpi_contact_facts')
      .select('conversation_id')
      .where('campaign_id', '=', campaignId)
      .where('received_at', '>=', from)
      .where('received_at', '<', to)
      .execute();
    const conversationIds = [...new Set([...touched.flatMap((r) => (r.conversation_id === null ? [] : [r.conversation_id])), ...stale.map((r) => r.conversation_id)])];
    // Their citizens' other facts (outside the range too) get their FCR next_opened_at redone.
    const citizens = await citizensOf(trx, conversationIds);
    if (conversationIds.length > 0) {
      await trx.deleteFrom('kpi_contact_facts').where('conversation_id', 'in', conversationIds).execute();
      await trx.deleteFrom('kpi_agent_segments').where('conversation_id', 'in', conversationIds).execute();
    }
    await trx.deleteFrom('kpi_agent_intervals').where('campaign_id', '=', campaignId).where('started_at', '>=', from).where('started_at', '<', to).execute();
    const stateRows = await trx
      .selectFrom('interaction_events')
      .select(['id', 'type', 'campaign_id', 'conversation_id', 'occurred_at', 'actor_type', 'payload'])
      .where('campaign_id', '=', campaignId)
      .where('type', '=', 'agent.state_changed')
      .where('occurred_at', '>=', from)
      .where('occurred_at', '<', to)
      .orderBy('id')
      .execute();
    const stateEvents: RawEvent[] = stateRows.map((row) => ({
      id: Number(row.id),
      type: row.type,
      campaignId: row.campaign_id,
      conversationId: row.conversation_id,
      occurredAt: row.occurred_at,
      actorType: row.actor_type,
      payload: row.payload,
    }));
    const intervals = await applyStateEvents(trx, stateEvents);
    const contacts = await rebuildContacts(trx, conversationIds, citizens);
    // Every rebuilt contact re-reads its ACW; intervals are complete, so no event range is needed.
    await refreshAfterContactWork(trx, conversationIds, 0, 0);
    return { contacts, intervals };
  });
}
