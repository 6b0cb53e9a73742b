import { randomBytes } from 'node:crypto';
import type { Db } from '@ventanilla/hub';

type Kysely = Db['kysely'];

export const T0 = Date.parse('2026-03-02T16:00:00.000Z');

export function callSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

/** A Twilio Voice channel of the campaign, as the channel admin API stores one. */
export async function createVoiceChannel(db: Kysely, campaignId: string, settings: Record<string, unknown> = {}) {
  return db
    .insertInto('channels')
    .values({
      campaign_id: campaignId,
      kind: 'voice',
      name: 'Línea 800',
      settings: JSON.stringify({ accountSid: `AC${randomBytes(16).toString('hex')}`, callerId: '+525512345678', ...settings }),
      secrets: JSON.stringify({ authToken: randomBytes(16).toString('hex') }),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface StoredCall {
  callSid: string;
  campaignId: string;
  conversationId: string | null;
}

/**
 * A call leg as the hub's call store leaves it: the voice_calls row and its events as
 * `call.<type>` interaction events stamped with each event's own time (seconds after T0).
 */
export async function storeCall(
  db: Kysely,
  input: { campaignId: string; channelId: string; conversationId?: string | null; kind?: 'inbound' | 'callback' | 'blaster'; ended?: boolean; events: [number, string, Record<string, string>?][] },
): Promise<StoredCall> {
  const sid = callSid();
  const endedEvent = input.events.find(([, type]) => type === 'ended');
  await db
    .insertInto('voice_calls')
    .values({
      call_sid: sid,
      channel_id: input.channelId,
      campaign_id: input.campaignId,
      conversation_id: input.conversationId ?? null,
      kind: input.kind ?? 'inbound',
      from_number: '+525511112222',
      to_number: '+528001234567',
      status: input.ended === false ? 'in-progress' : 'completed',
      started_at: new Date(T0),
      ended_at: input.ended === false || !endedEvent ? null : new Date(T0 + endedEvent[0] * 1000),
      twilio_duration: endedEvent?.[2]?.['duration'] ? Number(endedEvent[2]['duration']) : null,
      event_count: input.events.length,
    })
    .execute();
  for (const [seconds, type, data] of input.events) await addCallEvent(db, { callSid: sid, campaignId: input.campaignId, conversationId: input.conversationId ?? null }, seconds, type, data ?? {});
  return { callSid: sid, campaignId: input.campaignId, conversationId: input.conversationId ?? null };
}

export async function addCallEvent(db: Kysely, call: StoredCall, seconds: number, type: string, data: Record<string, string> = {}): Promise<void> {
  await db
    .insertInto('interaction_events')
    .values({
      type: `call.${type}`,
      campaign_id: call.campaignId,
      conversation_id: call.conversationId,
      occurred_at: new Date(T0 + Math.round(seconds * 1000)),
      actor_type: 'provider',
      actor_id: 'twilio',
      payload: JSON.stringify({ callSid: call.callSid, ...data }),
    })
    .execute();
}
