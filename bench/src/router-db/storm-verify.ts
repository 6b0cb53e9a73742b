import { sql, type Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';

/**
 * Invariants after a storm, read from the database: no seat above capacity, each seat's load
 * counter equal to the sessions it holds (conversations offered or assigned to it, and its
 * pending offers), at most one pending offer per conversation, every offered conversation
 * pointing at its pending offer, one event and one outbox row per offer, every offer made to an
 * agent of the campaign with the queue's skills at the required level, and no available agent
 * left with room while a conversation they qualify for waits.
 */
export interface Check {
  name: string;
  value: number;
  expected: number;
  ok: boolean;
}

export interface StormVerification {
  ok: boolean;
  offered: number;
  stillQueued: number;
  checks: Check[];
}

const num = (v: unknown): number => Number(v ?? 0);

export async function verifyStorm(db: Kysely<Database>): Promise<StormVerification> {
  const seats = (
    await sql<{ over: string; load_vs_held: string; load_vs_offers: string; total_load: string }>`
      SELECT count(*) FILTER (WHERE s.load_text > s.cap_text) AS over,
             count(*) FILTER (WHERE s.load_text <> coalesce(h.n, 0)) AS load_vs_held,
             count(*) FILTER (WHERE s.load_text <> coalesce(o.n, 0)) AS load_vs_offers,
             coalesce(sum(s.load_text), 0) AS total_load
        FROM agent_seats s
        LEFT JOIN (SELECT assignee_id, count(*) AS n FROM conversations WHERE status IN ('offered', 'assigned') GROUP BY assignee_id) h ON h.assignee_id = s.user_id
        LEFT JOIN (SELECT agent_id, count(*) AS n FROM offers WHERE status = 'pending' GROUP BY agent_id) o ON o.agent_id = s.user_id`.execute(db)
  ).rows[0];
  const conversations = (
    await sql<{ offered: string; queued: string; unmatched: string }>`
      SELECT count(*) FILTER (WHERE c.status = 'offered') AS offered,
             count(*) FILTER (WHERE c.status = 'queued') AS queued,
             count(*) FILTER (WHERE c.status = 'offered' AND (o.id IS NULL OR o.status <> 'pending' OR o.agent_id IS DISTINCT FROM c.assignee_id OR o.conversation_id <> c.id)) AS unmatched
        FROM conversations c LEFT JOIN offers o ON o.id = c.offer_id`.execute(db)
  ).rows[0];
  const offers = (
    await sql<{ pending: string; max_per_conversation: string }>`
      SELECT coalesce(sum(n), 0) AS pending, coalesce(max(n), 0) AS max_per_conversation
        FROM (SELECT conversation_id, count(*) AS n FROM offers WHERE status = 'pending' GROUP BY conversation_id) x`.execute(db)
  ).rows[0];
  const written = (
    await sql<{ events: string; event_conversations: string; outbox: string }>`
      SELECT (SELECT count(*) FROM interaction_events WHERE type = 'conversation.offered') AS events,
             (SELECT count(DISTINCT conversation_id) FROM interaction_events WHERE type = 'conversation.offered') AS event_conversations,
             (SELECT count(*) FROM outbox WHERE topic = 'realtime.conversation.offered') AS outbox`.execute(db)
  ).rows[0];
  const unqualified = (
    await sql<{ n: string }>`
      SELECT count(*) AS n FROM conversations c
       WHERE c.status IN ('offered', 'assigned')
         AND (NOT EXISTS (SELECT 1 FROM user_campaigns m WHERE m.user_id = c.assignee_id AND m.campaign_id = c.campaign_id)
              OR EXISTS (SELECT 1 FROM queue_skills r WHERE r.queue_id = c.queue_id
                           AND NOT EXISTS (SELECT 1 FROM agent_skills a WHERE a.user_id = c.assignee_id AND a.skill_id = r.skill_id
                                             AND a.level >= greatest(1, r.min_level - c.relaxed_levels))))`.execute(db)
  ).rows[0];
  // Work-conserving: an available seat with room and a waiting conversation it qualifies for.
  const idleWithWork = (
    await sql<{ n: string }>`
      SELECT count(*) AS n FROM agent_seats s
       WHERE s.state = 'available' AND s.load_voice = 0 AND s.load_text < s.cap_text
         AND EXISTS (
           SELECT 1 FROM queues q
            WHERE EXISTS (SELECT 1 FROM conversations c WHERE c.queue_id = q.id AND c.status = 'queued' AND c.closed_at IS NULL
                            AND c.channel_class = 'text' AND c.relaxed_levels = 0 AND NOT (s.user_id = ANY (c.excluded_agent_ids)))
              AND EXISTS (SELECT 1 FROM user_campaigns m WHERE m.user_id = s.user_id AND m.campaign_id = q.campaign_id)
              AND NOT EXISTS (SELECT 1 FROM queue_skills r WHERE r.queue_id = q.id
                                AND NOT EXISTS (SELECT 1 FROM agent_skills a WHERE a.user_id = s.user_id AND a.skill_id = r.skill_id AND a.level >= r.min_level)))`.execute(db)
  ).rows[0];

  const offered = num(conversations?.offered);
  const pending = num(offers?.pending);
  const checks: Check[] = [
    { name: 'seats above capacity', value: num(seats?.over), expected: 0, ok: num(seats?.over) === 0 },
    { name: 'seats whose load counter ≠ conversations offered/assigned to them', value: num(seats?.load_vs_held), expected: 0, ok: num(seats?.load_vs_held) === 0 },
    { name: 'seats whose load counter ≠ their pending offers', value: num(seats?.load_vs_offers), expected: 0, ok: num(seats?.load_vs_offers) === 0 },
    { name: 'sum of load counters = offered conversations', value: num(seats?.total_load), expected: offered, ok: num(seats?.total_load) === offered },
    { name: 'most pending offers on one conversation', value: num(offers?.max_per_conversation), expected: 1, ok: num(offers?.max_per_conversation) <= 1 },
    { name: 'pending offers = offered conversations', value: pending, expected: offered, ok: pending === offered },
    { name: 'offered conversations not matching their pending offer', value: num(conversations?.unmatched), expected: 0, ok: num(conversations?.unmatched) === 0 },
    { name: 'conversation.offered events (distinct conversations)', value: num(written?.event_conversations), expected: offered, ok: num(written?.events) === offered && num(written?.event_conversations) === offered },
    { name: 'realtime.conversation.offered outbox rows', value: num(written?.outbox), expected: offered, ok: num(written?.outbox) === offered },
    { name: 'offers to an agent outside the campaign or below a required skill level', value: num(unqualified?.n), expected: 0, ok: num(unqualified?.n) === 0 },
    { name: 'available seats with room while a conversation they qualify for waits', value: num(idleWithWork?.n), expected: 0, ok: num(idleWithWork?.n) === 0 },
  ];
  return { ok: checks.every((c) => c.ok), offered, stillQueued: num(conversations?.queued), checks };
}
