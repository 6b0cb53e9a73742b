import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { computeCallUsage, type CallUsage, type MeteredCallKind, type UsageSegment } from './call-usage.compute.js';
import type { MeteringEvent } from './call-usage.events.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface RecomputeResult {
  callSid: string;
  usage: CallUsage;
  /** false: the stored facts and summary were already exactly these (nothing written). */
  changed: boolean;
}

/** The leg's `call.*` events as metering reads them: the contract's type and data, at the event's own time. */
export async function loadCallEvents(db: Db, callSid: string): Promise<MeteringEvent[]> {
  const rows = await db
    .selectFrom('interaction_events')
    .select(['occurred_at', 'type', 'payload'])
    .where(sql<boolean>`payload->>'callSid' = ${callSid}`)
    .where('type', 'like', 'call.%')
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    const { callSid: _sid, ...data } = r.payload;
    return { at: r.occurred_at.getTime(), type: r.type.slice('call.'.length), data };
  });
}

/** What makes two fact sets the same (computed_at aside). */
function factKey(f: { seq: number; concept: string; unit: string; quantity: number; durationMs: number; agentId: string | null; seatType: string | null; startedAt: Date; endedAt: Date; detail: unknown }): string {
  const detail = f.detail !== null && typeof f.detail === 'object' ? Object.entries(f.detail).sort(([a], [b]) => a.localeCompare(b)) : [];
  return JSON.stringify([f.seq, f.concept, f.unit, f.quantity, f.durationMs, f.agentId, f.seatType, f.startedAt.getTime(), f.endedAt.getTime(), detail]);
}

function sameFacts(stored: { seq: number; concept: string; unit: string; quantity: number; duration_ms: string; agent_id: string | null; seat_type: string | null; started_at: Date; ended_at: Date; detail: unknown }[], computed: readonly UsageSegment[]): boolean {
  if (stored.length !== computed.length) return false;
  const keys = new Set(
    stored.map((s) =>
      factKey({ seq: s.seq, concept: s.concept, unit: s.unit, quantity: s.quantity, durationMs: Number(s.duration_ms), agentId: s.agent_id, seatType: s.seat_type, startedAt: s.started_at, endedAt: s.ended_at, detail: s.detail }),
    ),
  );
  return computed.every((c) => keys.has(factKey(c)));
}

/**
 * Recomputes one leg's usage facts from its events and stores them: the facts are replaced as a
 * whole and the summary upserted, only when something differs — so running it again gives the
 * very same rows (computed_at included). A newly flagged mismatch with Twilio is logged once as
 * `voice_usage.mismatch` (not a `call.*` event: those are the call record's own). Null for an
 * unknown leg.
 */
export async function recomputeCallUsage(db: Kysely<Database>, callSid: string): Promise<RecomputeResult | null> {
  return db.transaction().execute((trx) => recomputeCallUsageIn(trx, callSid));
}

/** The same inside a transaction the caller holds (the metering loop's claim). */
export async function recomputeCallUsageIn(trx: Transaction<Database>, callSid: string): Promise<RecomputeResult | null> {
  const call = await trx
    .selectFrom('voice_calls as v')
    .leftJoin('conversations as c', 'c.id', 'v.conversation_id')
    .select(['v.call_sid', 'v.campaign_id', 'v.conversation_id', 'v.kind', 'v.started_at', 'v.ended_at', 'v.event_count', 'c.folio'])
    .where('v.call_sid', '=', callSid)
    .executeTakeFirst();
  if (!call) return null;
  const kind: MeteredCallKind = call.kind;
  const usage = computeCallUsage({ callSid, kind, startedAt: call.started_at, endedAt: call.ended_at, events: await loadCallEvents(trx, callSid) });
  const { summary, segments } = usage;
  const conceptSeconds = segments.filter((s) => s.unit === 'second').reduce((sum, s) => sum + s.quantity, 0);

  const storedFacts = await trx.selectFrom('voice_usage_facts').selectAll().where('call_sid', '=', callSid).orderBy('seq').execute();
  const before = await trx.selectFrom('voice_call_usage').selectAll().where('call_sid', '=', callSid).executeTakeFirst();
  const sameContext = storedFacts.every((f) => f.conversation_id === call.conversation_id && f.folio === call.folio && f.campaign_id === call.campaign_id);
  const factsChanged = !sameContext || !sameFacts(storedFacts, segments);
  const summaryRow = {
    campaign_id: call.campaign_id,
    conversation_id: call.conversation_id,
    folio: call.folio,
    call_kind: kind,
    started_at: summary.startedAt,
    ended_at: summary.endedAt,
    our_ms: summary.ourMs,
    our_seconds: summary.ourSeconds,
    concept_seconds: conceptSeconds,
    twilio_seconds: summary.twilioSeconds,
    difference_seconds: summary.differenceSeconds,
    mismatch: summary.mismatch,
    event_count: call.event_count,
  };
  const summaryChanged =
    !before ||
    JSON.stringify([before.campaign_id, before.conversation_id, before.folio, before.call_kind, before.started_at.getTime(), before.ended_at.getTime(), Number(before.our_ms), before.our_seconds, before.concept_seconds, before.twilio_seconds, before.difference_seconds, before.mismatch, before.event_count]) !==
      JSON.stringify([summaryRow.campaign_id, summaryRow.conversation_id, summaryRow.folio, kind, summary.startedAt.getTime(), summary.endedAt.getTime(), summary.ourMs, summary.ourSeconds, conceptSeconds, summary.twilioSeconds, summary.differenceSeconds, summary.mismatch, call.event_count]);

  const now = new Date();
  if (factsChanged) {
    await trx.deleteFrom('voice_usage_facts').where('call_sid', '=', callSid).execute();
    if (segments.length > 0) {
      await trx
        .insertInto('voice_usage_facts')
        .values(
          segments.map((s) => ({
            call_sid: callSid,
            seq: s.seq,
            campaign_id: call.campaign_id,
            conversation_id: call.conversation_id,
            folio: call.folio,
            call_kind: kind,
            concept: s.concept,
            unit: s.unit,
            quantity: s.quantity,
            duration_ms: s.durationMs,
            agent_id: s.agentId,
            seat_type: s.seatType,
            started_at: s.startedAt,
            ended_at: s.endedAt,
            detail: JSON.stringify(s.detail),
            computed_at: now,
          })),
        )
        .execute();
    }
  }
  if (summaryChanged) {
    await trx
      .insertInto('voice_call_usage')
      .values({ call_sid: callSid, ...summaryRow, computed_at: now })
      .onConflict((oc) => oc.column('call_sid').doUpdateSet({ ...summaryRow, computed_at: now }))
      .execute();
  }
  if (summary.mismatch && !before?.mismatch) {
    await trx
      .insertInto('interaction_events')
      .values({
        type: 'voice_usage.mismatch',
        campaign_id: call.campaign_id,
        conversation_id: call.conversation_id,
        actor_type: 'system',
        actor_id: 'voice-metering',
        payload: JSON.stringify({ callSid, ourSeconds: summary.ourSeconds, twilioSeconds: summary.twilioSeconds, differenceSeconds: summary.differenceSeconds }),
      })
      .execute();
  }
  return { callSid, usage, changed: factsChanged || summaryChanged };
}
