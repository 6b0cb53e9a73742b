import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../hub/src/db/schema.js';
import type { BillingUsageFactRow } from '../../../hub/src/db/schema-billing.js';

/**
 * Source rows for the usage-derivation tests, written as the hub writes them: interaction events
 * with their own occurred_at, voice_usage_facts of metered calls, conversations on real channels.
 * Times are given in Mexico City wall time (UTC−06:00 all year since Oct 2022).
 */
export const at = (local: string): Date => new Date(`${local}-06:00`);

export async function channel(db: Kysely<Database>, campaignId: string, kind: string, settings: Record<string, unknown> = {}): Promise<string> {
  const row = await db
    .insertInto('channels')
    .values({ campaign_id: campaignId, kind, name: `${kind} ${randomBytes(2).toString('hex')}`, settings: JSON.stringify(settings) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function conversation(db: Kysely<Database>, campaignId: string, channelId: string): Promise<{ id: string; folio: string }> {
  const contact = await db.insertInto('contacts').values({ display_name: 'Ciudadana' }).returning('id').executeTakeFirstOrThrow();
  const folio = `US-${randomUUID().slice(0, 8)}`;
  const row = await db
    .insertInto('conversations')
    .values({ folio, campaign_id: campaignId, channel_id: channelId, contact_id: contact.id, status: 'resolved', closed_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, folio };
}

export async function event(
  db: Kysely<Database>,
  campaignId: string,
  input: { type: string; at: Date; conversationId?: string | null; messageId?: string | null; actorType?: 'agent' | 'system' | 'provider' | 'bot'; actorId?: string | null; payload?: Record<string, unknown> },
): Promise<string> {
  const row = await db
    .insertInto('interaction_events')
    .values({
      type: input.type,
      occurred_at: input.at,
      campaign_id: campaignId,
      conversation_id: input.conversationId ?? null,
      message_id: input.messageId ?? null,
      actor_type: input.actorType ?? 'system',
      actor_id: input.actorId ?? null,
      payload: JSON.stringify(input.payload ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function callSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

export async function call(db: Kysely<Database>, campaignId: string, channelId: string, conversationId: string | null, direction: 'inbound' | 'outbound' = 'inbound'): Promise<string> {
  const sid = callSid();
  await db
    .insertInto('voice_calls')
    .values({ call_sid: sid, channel_id: channelId, campaign_id: campaignId, conversation_id: conversationId, kind: direction === 'inbound' ? 'inbound' : 'callback', direction, from_number: '+525511112222', to_number: '+528001234567', status: 'completed' })
    .execute();
  return sid;
}

export interface VoiceFactSpec {
  readonly concept: string;
  readonly from: Date;
  readonly to: Date;
  /** Default: to − from (talk: the span minus its holds). */
  readonly durationMs?: number;
  readonly agentId?: string;
  readonly seatType?: 'PS-I' | 'PS-P';
  readonly detail?: Record<string, string | number | boolean>;
}

/** The call's voice_usage_facts, seq in the given order. */
export async function voiceFacts(db: Kysely<Database>, campaignId: string, sid: string, conv: { id: string; folio: string } | null, specs: readonly VoiceFactSpec[]): Promise<void> {
  await db
    .insertInto('voice_usage_facts')
    .values(
      specs.map((s, i) => {
        const message = s.concept === 'voicemail' || s.concept === 'blaster_message';
        const durationMs = message ? 0 : (s.durationMs ?? s.to.getTime() - s.from.getTime());
        return {
          call_sid: sid,
          seq: i + 1,
          campaign_id: campaignId,
          conversation_id: conv?.id ?? null,
          folio: conv?.folio ?? null,
          call_kind: 'inbound',
          concept: s.concept,
          unit: message ? ('message' as const) : ('second' as const),
          quantity: message ? 1 : Math.floor(durationMs / 1000),
          duration_ms: durationMs,
          agent_id: s.agentId ?? null,
          seat_type: s.seatType ?? null,
          started_at: s.from,
          ended_at: s.to,
          detail: JSON.stringify(s.detail ?? {}),
        };
      }),
    )
    .execute();
}

export async function recording(db: Kysely<Database>, campaignId: string, channelId: string, sid: string, conv: { id: string; folio: string }): Promise<void> {
  await db
    .insertInto('voice_recordings')
    .values({ recording_sid: `RE${randomBytes(16).toString('hex')}`, call_sid: sid, conversation_id: conv.id, folio: conv.folio, campaign_id: campaignId, channel_id: channelId, status: 'completed', duration: 600 })
    .execute();
}

/** An agent with a seat: PS-I/PS-P and which classes the seat takes (cap 0 = does not take it). */
export async function agent(db: Kysely<Database>, seatType: 'PS-I' | 'PS-P', caps: { voice: number; text: number; email: number } = { voice: 1, text: 4, email: 10 }): Promise<string> {
  const user = await db
    .insertInto('users')
    .values({ email: `agente-${randomBytes(4).toString('hex')}@example.mx`, display_name: 'Agente', password_hash: 'x', roles: ['agent'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('agent_seats').values({ user_id: user.id, seat_type: seatType, cap_voice: caps.voice, cap_text: caps.text, cap_email: caps.email }).execute();
  return user.id;
}

/** A `date` column as pg returns it (local midnight of the process) → 'YYYY-MM-DD'. */
export function dayKey(value: Date): string {
  return `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`;
}

export async function factsOf(db: Kysely<Database>, campaignId: string): Promise<BillingUsageFactRow[]> {
  return db.selectFrom('billing_usage_facts').selectAll().where('campaign_id', '=', campaignId).orderBy('source_key').execute();
}

/** The facts of one meter as compact tuples for hand-computed expectations. */
export function summary(rows: readonly BillingUsageFactRow[], meter: string): { key: string; ms: number; q: number; w: number; tier: number | null; seat: string | null; cls: string | null; ev: string | null }[] {
  return rows
    .filter((r) => r.meter === meter)
    .map((r) => ({ key: r.source_key, ms: Number(r.duration_ms), q: r.quantity, w: r.weight_pct, tier: r.tier, seat: r.seat_type, cls: r.channel_class, ev: r.evidence_problem }));
}
