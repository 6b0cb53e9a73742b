import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { CallEvent, CallRecord, CallStore, IvrOutcome, IvrState } from '@ventanilla/voice-bridge';
import type { ActorType, Database } from '../../db/schema.js';
import type { VoiceCallKind } from '../../db/schema-voice.js';

/**
 * The voice bridge's CallStore on PostgreSQL (issue 8): one `voice_calls` row per call leg, and
 * every event of the call's history as an append-only `interaction_events` row `call.<type>`
 * (payload `{ ...data, callSid }`, occurred_at = the event's own `at`) in the same transaction —
 * metering and KPIs read those rows (hub/src/voice/call-events.contract.ts).
 *
 * `event_count` says how many of the record's events are already rows. A record saved by a flow
 * that read it before another flow saved (two processes without the lock, or a lock that
 * expired) is refused with `StaleCallRecordError` instead of writing events twice or out of
 * order. The plugin serializes webhooks of one call with `withLock` (a Redis lock), so in
 * practice that only happens when a webhook outlives the lock.
 *
 * Embedded database (PGlite, one connection): nothing here queries through the pool while its own
 * transaction is open, and `afterSave` runs after the commit.
 */
export class StaleCallRecordError extends Error {
  constructor(callSid: string, expected: number, stored: number) {
    super(`voice call ${callSid} changed since it was read (events stored ${stored}, read ${expected})`);
    this.name = 'StaleCallRecordError';
  }
}

export interface PgCallStoreOptions {
  /** Cross-process lock (RedisCallLock.withLock). */
  lock?: <T>(callSid: string, work: () => Promise<T>) => Promise<T>;
  /** Runs after a save committed, with the events it stored (hang-up → abandon the conversation). */
  afterSave?: (call: CallRecord, stored: readonly CallEvent[]) => Promise<void>;
}

/** Events Twilio reported (the call's own progress, what the caller keyed or said); the rest are the hub's. */
const PROVIDER_EVENTS: ReadonlySet<string> = new Set([
  'incoming',
  'incoming_repeated',
  'ivr_input',
  'wait_choice',
  'status',
  'ended',
  'left_queue',
  'recording_ready',
  'voicemail_recorded',
  'survey_answer',
  'blaster_choice',
]);

const EVENT_TYPE = /^[a-z_]+$/;

const ivrStateSchema = z.custom<IvrState>(
  (value) => typeof value === 'object' && value !== null && 'node' in value && typeof value.node === 'string' && 'collected' in value && 'path' in value,
);
const ivrOutcomeSchema = z.custom<IvrOutcome>((value) => typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string');
const kindSchema = z.enum(['inbound', 'agent_leg', 'callback', 'blaster', 'supervisor_leg', 'third_party']);

export class PgCallStore implements CallStore {
  /** How many events each record had when it was read: what save may append after. */
  private readonly readCounts = new WeakMap<CallRecord, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: PgCallStoreOptions = {},
  ) {}

  async withLock<T>(callSid: string, work: () => Promise<T>): Promise<T> {
    return this.options.lock ? this.options.lock(callSid, work) : work();
  }

  async get(callSid: string): Promise<CallRecord | null> {
    const row = await this.db
      .selectFrom('voice_calls as v')
      .leftJoin('conversations as c', 'c.id', 'v.conversation_id')
      .select(['v.call_sid', 'v.channel_id', 'v.from_number', 'v.to_number', 'v.status', 'v.ivr_state', 'v.outcome', 'v.event_count', 'v.conversation_id', 'v.kind', 'c.folio'])
      .where('v.call_sid', '=', callSid)
      .executeTakeFirst();
    if (!row) return null;
    const rows = await this.db
      .selectFrom('interaction_events')
      .select(['type', 'occurred_at', 'payload'])
      .where(sql<string>`payload->>'callSid'`, '=', callSid)
      .where('type', 'like', 'call.%')
      .orderBy('id')
      .execute();
    const events = rows.map((e) => toCallEvent(e.type, e.occurred_at, e.payload));
    const state = ivrStateSchema.safeParse(row.ivr_state);
    const outcome = ivrOutcomeSchema.safeParse(row.outcome);
    const kind = kindSchema.safeParse(row.kind);
    const call: CallRecord = {
      callSid: row.call_sid,
      channelId: row.channel_id,
      from: row.from_number,
      to: row.to_number,
      state: state.success ? state.data : null,
      status: row.status,
      outcome: outcome.success ? outcome.data : null,
      events,
      conversationId: row.conversation_id,
      folio: row.folio ?? null,
      kind: kind.success ? kind.data : 'inbound',
    };
    // The events read are those stored, unless another save landed between the two reads: then
    // the count is what a save must still match, and it will be refused as stale.
    this.readCounts.set(call, Math.min(row.event_count, events.length));
    return call;
  }

  async save(call: CallRecord): Promise<void> {
    const stored = await this.db.transaction().execute((trx) => this.write(trx, call));
    this.readCounts.set(call, call.events.length);
    if (this.options.afterSave && stored.length > 0) await this.options.afterSave(call, stored);
  }

  private async write(trx: Transaction<Database>, call: CallRecord): Promise<CallEvent[]> {
    const existing = await trx.selectFrom('voice_calls').select(['event_count', 'campaign_id']).where('call_sid', '=', call.callSid).forUpdate().executeTakeFirst();
    const expected = this.readCounts.get(call) ?? existing?.event_count ?? 0;
    if ((existing?.event_count ?? 0) !== expected) throw new StaleCallRecordError(call.callSid, expected, existing?.event_count ?? 0);
    if (call.events.length < expected) throw new StaleCallRecordError(call.callSid, call.events.length, expected);
    const ended = [...call.events].reverse().find((e) => e.type === 'ended');
    const duration = ended?.data['duration'];
    const common = {
      conversation_id: call.conversationId ?? null,
      status: call.status,
      ivr_state: JSON.stringify(call.state),
      outcome: JSON.stringify(call.outcome),
      event_count: call.events.length,
      ...(ended ? { ended_at: ended.at, twilio_duration: duration !== undefined && /^\d+$/.test(duration) ? Number(duration) : null } : {}),
      updated_at: sql<Date>`clock_timestamp()`,
    };
    let campaignId: string;
    if (existing) {
      campaignId = existing.campaign_id;
      await trx.updateTable('voice_calls').set(common).where('call_sid', '=', call.callSid).execute();
    } else {
      const channel = await trx.selectFrom('channels').select('campaign_id').where('id', '=', call.channelId).executeTakeFirst();
      if (!channel) throw new Error(`voice call ${call.callSid}: unknown channel ${call.channelId}`);
      campaignId = channel.campaign_id;
      const kind: VoiceCallKind = call.kind ?? 'inbound';
      const inserted = await trx
        .insertInto('voice_calls')
        .values({
          call_sid: call.callSid,
          channel_id: call.channelId,
          campaign_id: campaignId,
          kind,
          direction: kind === 'inbound' ? 'inbound' : 'outbound',
          from_number: call.from,
          to_number: call.to,
          started_at: call.events[0]?.at ?? new Date(),
          ...common,
        })
        .onConflict((oc) => oc.column('call_sid').doNothing())
        .returning('call_sid')
        .executeTakeFirst();
      // Another process created it after our read: our record is stale.
      if (!inserted) throw new StaleCallRecordError(call.callSid, 0, -1);
    }
    const fresh = call.events.slice(expected);
    if (fresh.length > 0) {
      await trx
        .insertInto('interaction_events')
        .values(
          fresh.map((event) => ({
            type: `call.${EVENT_TYPE.test(event.type) ? event.type : event.type.toLowerCase().replace(/[^a-z_]/g, '_')}`,
            occurred_at: event.at,
            campaign_id: campaignId,
            conversation_id: call.conversationId ?? null,
            actor_type: actorOf(event.type),
            actor_id: actorOf(event.type) === 'provider' ? 'twilio' : 'voice-bridge',
            payload: JSON.stringify(payloadOf(call.callSid, event)),
          })),
        )
        .execute();
    }
    return fresh;
  }
}

function actorOf(type: string): ActorType {
  return PROVIDER_EVENTS.has(type) ? 'provider' : 'system';
}

/**
 * `{ ...data, callSid }`: the call's own sid always wins (the index and metering look calls up by
 * it). An event naming another leg in `data.callSid` (participant_joined) keeps it as `legCallSid`.
 */
export function payloadOf(callSid: string, event: CallEvent): Record<string, string> {
  const payload: Record<string, string> = { ...event.data, callSid };
  const other = event.data['callSid'];
  if (other !== undefined && other !== callSid) payload['legCallSid'] = other;
  return payload;
}

function toCallEvent(type: string, occurredAt: Date, payload: unknown): CallEvent {
  const data: Record<string, string> = {};
  let legCallSid: string | null = null;
  if (typeof payload === 'object' && payload !== null) {
    for (const [key, value] of Object.entries(payload)) {
      if (key === 'callSid') continue;
      if (key === 'legCallSid' && typeof value === 'string') legCallSid = value;
      else data[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  if (legCallSid !== null) data['callSid'] = legCallSid;
  return { at: occurredAt.toISOString(), type: type.slice('call.'.length), data };
}
