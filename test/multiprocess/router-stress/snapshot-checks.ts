import { sql, type Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';

/**
 * The router's invariants after the run, from one REPEATABLE READ snapshot (takeSnapshot): the
 * capacity timeline, one agent per conversation at a time, load counters, conversation states
 * and events. The sampled "nobody waits" invariant is in invariants.ts.
 */

// ---------------------------------------------------------------------------------------------
// Invariants 1, 2, 4, 5 and the load counters (3), from one REPEATABLE READ snapshot.
// ---------------------------------------------------------------------------------------------

export interface OfferRow {
  id: string;
  conversation_id: string;
  agent_id: string;
  status: 'pending' | 'accepted' | 'rejected' | 'timed_out' | 'cancelled';
  channel_class: 'text' | 'voice' | 'email';
  reason: string;
  created_at: Date;
  decided_at: Date | null;
  ended_at: Date | null;
}

export interface ConversationRow {
  id: string;
  status: string;
  assignee_id: string | null;
  offer_id: string | null;
  queue_id: string | null;
  channel_class: string | null;
  closed_at: Date | null;
}

export interface SeatRow {
  user_id: string;
  state: string;
  load_text: number;
  load_voice: number;
  load_email: number;
  cap_text: number;
  cap_voice: number;
  cap_email: number;
}

export interface Snapshot {
  now: number;
  conversations: ConversationRow[];
  offers: OfferRow[];
  seats: SeatRow[];
  /** offerId of each event of these types. */
  offeredEvents: Set<string>;
  timedOutEvents: Set<string>;
  rejectedEvents: Set<string>;
  eventCounts: Record<string, number>;
  transferKinds: Record<string, number>;
  overflowOutcomes: Record<string, number>;
  abandonCauses: Record<string, number>;
  /** agent.state_changed events (one per campaign of the agent). */
  stateChanges: { agentId: string; to: string; at: number }[];
}

export async function takeSnapshot(db: Kysely<Database>): Promise<Snapshot> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const { rows: nowRows } = await sql<{ now: number }>`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now`.execute(trx);
      const conversations = await trx.selectFrom('conversations').select(['id', 'status', 'assignee_id', 'offer_id', 'queue_id', 'channel_class', 'closed_at']).execute();
      const offers = (await trx
        .selectFrom('offers')
        .select(['id', 'conversation_id', 'agent_id', 'status', 'channel_class', 'reason', 'created_at', 'decided_at', 'ended_at'])
        .execute()) as OfferRow[];
      const seats = await trx.selectFrom('agent_seats').select(['user_id', 'state', 'load_text', 'load_voice', 'load_email', 'cap_text', 'cap_voice', 'cap_email']).execute();
      const events = await sql<{ type: string; offer_id: string | null; agent_id: string | null; at: number; detail: string | null }>`
        SELECT type, payload->>'offerId' AS offer_id, payload->>'agentId' AS agent_id,
               (extract(epoch FROM occurred_at) * 1000)::float8 AS at,
               CASE type WHEN 'conversation.transferred' THEN payload->>'kind'
                         WHEN 'conversation.overflowed' THEN payload->>'outcome'
                         WHEN 'conversation.abandoned' THEN (payload->>'cause') || '/' || (payload->>'statusBefore')
                         WHEN 'agent.state_changed' THEN payload->>'to' || coalesce('/' || (payload->>'reason'), '') END AS detail
          FROM interaction_events`.execute(trx);
      const snapshot: Snapshot = {
        now: nowRows[0]?.now ?? Date.now(),
        conversations,
        offers,
        seats: seats as SeatRow[],
        offeredEvents: new Set(),
        timedOutEvents: new Set(),
        rejectedEvents: new Set(),
        eventCounts: {},
        transferKinds: {},
        overflowOutcomes: {},
        abandonCauses: {},
        stateChanges: [],
      };
      const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
      for (const e of events.rows) {
        bump(snapshot.eventCounts, e.type);
        if (e.type === 'conversation.offered' && e.offer_id) snapshot.offeredEvents.add(e.offer_id);
        if (e.type === 'offer.timed_out' && e.offer_id) snapshot.timedOutEvents.add(e.offer_id);
        if (e.type === 'offer.rejected' && e.offer_id) snapshot.rejectedEvents.add(e.offer_id);
        if (e.type === 'conversation.transferred') bump(snapshot.transferKinds, e.detail ?? '?');
        if (e.type === 'conversation.overflowed') bump(snapshot.overflowOutcomes, e.detail ?? '?');
        if (e.type === 'conversation.abandoned') bump(snapshot.abandonCauses, e.detail ?? '?');
        if (e.type === 'agent.state_changed' && e.agent_id) snapshot.stateChanges.push({ agentId: e.agent_id, to: e.detail ?? '?', at: e.at });
      }
      return snapshot;
    });
}

const TERMINAL_OFFER = new Set(['rejected', 'timed_out', 'cancelled']);
const HELD = new Set(['offered', 'assigned', 'waiting_contact']);

/** When the session an offer opened ended, or null while it is still held. */
export function offerEnd(o: OfferRow): number | null {
  if (o.ended_at) return o.ended_at.getTime();
  if (TERMINAL_OFFER.has(o.status) && o.decided_at) return o.decided_at.getTime();
  return null;
}

export interface CapacityReport {
  problems: string[];
  /** agentId → most sessions of the class held at one instant. */
  maxConcurrent: Map<string, number>;
}

/**
 * (1) Sweep line per agent and class over [created_at, end) of every offer: at no instant does
 * the agent hold more than its capacity. At equal instants ends go before starts: a seat is
 * claimed only after the release committed, and timestamps are kept to the millisecond.
 */
export function checkCapacityTimeline(s: Snapshot, capacity: ReadonlyMap<string, { text: number; voice: number; email: number }>): CapacityReport {
  const problems: string[] = [];
  const maxConcurrent = new Map<string, number>();
  const byAgent = groupBy(s.offers, (o) => o.agent_id);
  for (const [agentId, offers] of byAgent) {
    const cap = capacity.get(agentId);
    if (!cap) {
      problems.push(`offers made to ${agentId}, who is not a stress agent`);
      continue;
    }
    const points: { t: number; d: number; cls: string; id: string }[] = [];
    for (const o of offers) {
      const start = o.created_at.getTime();
      const end = offerEnd(o) ?? Number.POSITIVE_INFINITY;
      if (end < start) problems.push(`offer ${o.id} ends (${new Date(end).toISOString()}) before it starts (${o.created_at.toISOString()})`);
      points.push({ t: start, d: 1, cls: o.channel_class, id: o.id }, { t: end, d: -1, cls: o.channel_class, id: o.id });
    }
    points.sort((x, y) => x.t - y.t || x.d - y.d);
    const held: Record<string, number> = { text: 0, voice: 0, email: 0 };
    const open = new Set<string>();
    let maxText = 0;
    let reported = 0;
    for (const p of points) {
      held[p.cls] = (held[p.cls] ?? 0) + p.d;
      if (p.d > 0) open.add(p.id);
      else open.delete(p.id);
      maxText = Math.max(maxText, held['text'] ?? 0);
      const text = held['text'] ?? 0;
      const voice = held['voice'] ?? 0;
      const email = held['email'] ?? 0;
      const over = text > cap.text || email > cap.email || voice > Math.min(1, cap.voice) || (voice > 0 && text > 0);
      if (over && p.d > 0 && reported < 3) {
        reported += 1;
        problems.push(
          `agent ${agentId} held text ${text}/${cap.text}, voice ${voice}, email ${email}/${cap.email} at ${new Date(p.t).toISOString()} (offers ${[...open].join(', ')})`,
        );
      }
    }
    maxConcurrent.set(agentId, maxText);
  }
  return { problems, maxConcurrent };
}

/** (2) Per conversation, the sessions of its offers never overlap, and at most one is pending. */
export function checkOneAgentAtATime(s: Snapshot): string[] {
  const problems: string[] = [];
  const byConversation = groupBy(s.offers, (o) => o.conversation_id);
  for (const [conversationId, offers] of byConversation) {
    const pending = offers.filter((o) => o.status === 'pending');
    if (pending.length > 1) problems.push(`conversation ${conversationId} has ${pending.length} pending offers: ${pending.map((o) => o.id).join(', ')}`);
    const open = offers.filter((o) => offerEnd(o) === null);
    if (open.length > 1) problems.push(`conversation ${conversationId} is held by ${open.length} sessions at once: ${open.map((o) => `${o.id} (${o.status}, agent ${o.agent_id})`).join(', ')}`);
    const sorted = [...offers].sort((x, y) => x.created_at.getTime() - y.created_at.getTime());
    for (let i = 1; i < sorted.length; i += 1) {
      const prev = sorted[i - 1] as OfferRow;
      const next = sorted[i] as OfferRow;
      const prevEnd = offerEnd(prev) ?? Number.POSITIVE_INFINITY;
      if (prevEnd > next.created_at.getTime()) {
        problems.push(
          `conversation ${conversationId}: offer ${prev.id} (${prev.status}, agent ${prev.agent_id}, ${prev.created_at.toISOString()}–${Number.isFinite(prevEnd) ? new Date(prevEnd).toISOString() : 'open'}) overlaps offer ${next.id} (${next.status}, agent ${next.agent_id}, from ${next.created_at.toISOString()})`,
        );
      }
    }
  }
  return problems;
}

/** (3) Each seat's load counters equal the conversations it holds, and the sessions still open. */
export function checkLoadCounters(s: Snapshot): string[] {
  const problems: string[] = [];
  const heldBy = new Map<string, Record<string, number>>();
  for (const c of s.conversations) {
    if (!HELD.has(c.status) || c.assignee_id === null) continue;
    const m = heldBy.get(c.assignee_id) ?? { text: 0, voice: 0, email: 0 };
    const cls = c.channel_class ?? 'text';
    m[cls] = (m[cls] ?? 0) + 1;
    heldBy.set(c.assignee_id, m);
  }
  const openBy = new Map<string, Record<string, number>>();
  for (const o of s.offers) {
    if (offerEnd(o) !== null) continue;
    const m = openBy.get(o.agent_id) ?? { text: 0, voice: 0, email: 0 };
    m[o.channel_class] = (m[o.channel_class] ?? 0) + 1;
    openBy.set(o.agent_id, m);
  }
  for (const seat of s.seats) {
    const held = heldBy.get(seat.user_id) ?? { text: 0, voice: 0, email: 0 };
    const open = openBy.get(seat.user_id) ?? { text: 0, voice: 0, email: 0 };
    for (const cls of ['text', 'voice', 'email'] as const) {
      const load = seat[`load_${cls}`];
      if (load !== held[cls]) problems.push(`seat ${seat.user_id}: load_${cls} = ${load} but holds ${held[cls]} conversations (offered/assigned)`);
      if (load !== open[cls]) problems.push(`seat ${seat.user_id}: load_${cls} = ${load} but ${open[cls]} of its offers are still open`);
    }
  }
  return problems;
}

/** (4) Every conversation's status agrees with its assignee and its offers. */
export function checkConversationStates(s: Snapshot, options: { allowIntakeBacklog?: boolean } = {}): string[] {
  const problems: string[] = [];
  const offersOf = groupBy(s.offers, (o) => o.conversation_id);
  const byId = new Map(s.offers.map((o) => [o.id, o]));
  for (const c of s.conversations) {
    const offers = offersOf.get(c.id) ?? [];
    const pending = offers.filter((o) => o.status === 'pending');
    const open = offers.filter((o) => offerEnd(o) === null);
    const say = (what: string) => problems.push(`conversation ${c.id} (${c.status}, assignee ${c.assignee_id ?? '-'}, offer ${c.offer_id ?? '-'}): ${what}`);
    switch (c.status) {
      case 'queued':
        if (c.assignee_id !== null) say('queued but has an assignee');
        if (c.offer_id !== null) say('queued but points at an offer');
        if (open.length > 0) say(`queued but ${open.length} session(s) still open: ${open.map((o) => `${o.id} ${o.status}`).join(', ')}`);
        if (c.queue_id === null && !options.allowIntakeBacklog) say('still not taken into a queue');
        break;
      case 'offered': {
        const offer = c.offer_id ? byId.get(c.offer_id) : undefined;
        if (pending.length !== 1) say(`offered with ${pending.length} pending offers`);
        if (!offer || offer.status !== 'pending') say(`offered but its offer is ${offer?.status ?? 'missing'}`);
        else if (offer.agent_id !== c.assignee_id) say(`offered to ${c.assignee_id} but the offer is to ${offer.agent_id}`);
        if (open.length !== 1) say(`offered with ${open.length} open sessions`);
        break;
      }
      case 'assigned': {
        const offer = c.offer_id ? byId.get(c.offer_id) : undefined;
        if (!offer || offer.status !== 'accepted') say(`assigned but its offer is ${offer?.status ?? 'missing'}`);
        else if (offer.ended_at !== null) say('assigned but its session has ended');
        else if (offer.agent_id !== c.assignee_id) say(`assigned to ${c.assignee_id} but the accepted offer is to ${offer.agent_id}`);
        if (pending.length > 0) say(`assigned with ${pending.length} pending offers`);
        if (open.length !== 1) say(`assigned with ${open.length} open sessions`);
        break;
      }
      case 'resolved':
      case 'abandoned':
        if (c.closed_at === null) say('closed status without closed_at');
        if (open.length > 0) say(`closed with ${open.length} session(s) still open: ${open.map((o) => `${o.id} ${o.status}`).join(', ')}`);
        break;
      default:
        say('unexpected status in this test');
    }
  }
  return problems;
}

/** (5) Every offer has its conversation.offered event; every RONA its offer.timed_out; every reject its offer.rejected. */
export function checkEvents(s: Snapshot): string[] {
  const problems: string[] = [];
  for (const o of s.offers) {
    if (!s.offeredEvents.has(o.id)) problems.push(`offer ${o.id} (${o.status}) has no conversation.offered event`);
    if (o.status === 'timed_out' && !s.timedOutEvents.has(o.id)) problems.push(`timed-out offer ${o.id} has no offer.timed_out event`);
    if (o.status === 'rejected' && !s.rejectedEvents.has(o.id)) problems.push(`rejected offer ${o.id} has no offer.rejected event`);
  }
  const byId = new Map(s.offers.map((o) => [o.id, o]));
  for (const id of s.timedOutEvents) if (byId.get(id)?.status !== 'timed_out') problems.push(`offer.timed_out event for offer ${id}, which is ${byId.get(id)?.status ?? 'unknown'}`);
  return problems;
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
