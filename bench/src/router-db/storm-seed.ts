import { sql, type Kysely } from 'kysely';
import { syncAgentSeats, type Database } from '@ventanilla/hub';
import { performance } from 'node:perf_hooks';
import type { StormWorld } from './storm-world.js';

/**
 * Writes a storm world (storm-world.ts) to the run's schema with set-based statements: campaigns,
 * their API channels, skills, queues with their required skills, agents (users, memberships,
 * skills, seats — logged in but not ready (the shift briefing), with a spread of idle times), then contacts and conversations already
 * in line (status queued, queue, channel class text, enqueued over the last 30 minutes), as the
 * intake of the router would have left them while no agent was working.
 */

/** Kinds of the deterministic ids the SQL side generates (storm-world.ts has the others). */
const CONTACT_KIND = 6;
const CONVERSATION_KIND = 7;

export interface SeedTimings {
  staffMs: number;
  conversationsMs: number;
  analyzeMs: number;
}

export async function seedStormWorld(db: Kysely<Database>, world: StormWorld): Promise<SeedTimings> {
  const t0 = performance.now();
  const { campaigns, queues, agents } = world;
  const campaignId = (index: number): string => campaigns[index]?.id ?? '';
  await db.transaction().execute(async (trx) => {
    await sql`
      INSERT INTO campaigns (id, slug, name, folio_prefix, settings)
      SELECT id, slug, 'Campaña ' || slug, prefix, '{}'::jsonb
        FROM unnest(${campaigns.map((c) => c.id)}::uuid[], ${campaigns.map((c) => c.slug)}::text[], ${campaigns.map((c) => c.prefix)}::text[]) AS t(id, slug, prefix)`.execute(trx);
    await sql`
      INSERT INTO channels (id, campaign_id, kind, name, settings, secrets)
      SELECT channel_id, campaign_id, 'api', 'API ' || campaign_id, '{}'::jsonb, '{"signingSecret":"storm-secret-storm-secret-0123"}'::jsonb
        FROM unnest(${campaigns.map((c) => c.channelId)}::uuid[], ${campaigns.map((c) => c.id)}::uuid[]) AS t(channel_id, campaign_id)`.execute(trx);
    const skills = campaigns.flatMap((c) => c.skillIds.map((id, i) => ({ id, campaignId: c.id, name: `skill_${c.index}_${i}` })));
    await sql`
      INSERT INTO skills (id, campaign_id, name)
      SELECT * FROM unnest(${skills.map((s) => s.id)}::uuid[], ${skills.map((s) => s.campaignId)}::uuid[], ${skills.map((s) => s.name)}::text[])`.execute(trx);
    await sql`
      INSERT INTO queues (id, campaign_id, name, priority, settings, strategy, is_default, channel_classes)
      SELECT id, campaign_id, name, priority, '{}'::jsonb, strategy, is_default, ARRAY['text']::text[]
        FROM unnest(${queues.map((q) => q.id)}::uuid[], ${queues.map((q) => campaignId(q.campaignIndex))}::uuid[], ${queues.map((q) => q.name)}::text[],
                    ${queues.map((q) => q.priority)}::smallint[], ${queues.map((q) => q.strategy)}::text[], ${queues.map((q) => q.isDefault)}::boolean[])
             AS t(id, campaign_id, name, priority, strategy, is_default)`.execute(trx);
    const requirements = queues.flatMap((q) => q.required.map((r) => ({ queueId: q.id, ...r })));
    if (requirements.length > 0) {
      await sql`
        INSERT INTO queue_skills (queue_id, skill_id, min_level)
        SELECT * FROM unnest(${requirements.map((r) => r.queueId)}::uuid[], ${requirements.map((r) => r.skillId)}::uuid[], ${requirements.map((r) => r.minLevel)}::smallint[])`.execute(trx);
    }

    // Agents. The password hash is never checked: nobody logs in as them.
    const agentIds = agents.map((a) => a.id);
    await sql`
      INSERT INTO users (id, email, display_name, password_hash, roles)
      SELECT id, 'agente-' || n || '@storm.example.mx', 'Agente ' || n, 'not-a-password-hash', ARRAY['agent']::text[]
        FROM unnest(${agentIds}::uuid[]) WITH ORDINALITY AS t(id, n)`.execute(trx);
    const memberships = agents.flatMap((a) => a.campaignIndexes.map((c) => ({ userId: a.id, campaignId: campaignId(c) })));
    await sql`
      INSERT INTO user_campaigns (user_id, campaign_id)
      SELECT * FROM unnest(${memberships.map((m) => m.userId)}::uuid[], ${memberships.map((m) => m.campaignId)}::uuid[])`.execute(trx);
    const agentSkills = agents.flatMap((a) => [...a.skills].map(([skillId, level]) => ({ userId: a.id, skillId, level })));
    await sql`
      INSERT INTO agent_skills (user_id, skill_id, level)
      SELECT * FROM unnest(${agentSkills.map((s) => s.userId)}::uuid[], ${agentSkills.map((s) => s.skillId)}::uuid[], ${agentSkills.map((s) => s.level)}::smallint[])`.execute(trx);
  });
  // Seats through the hub's own code (effective capacity from the campaigns), then their history.
  await syncAgentSeats(db);
  await seatHistory(db, world);
  const t1 = performance.now();

  // The line: contact k opened conversation k in queue q, interleaved across queues, enqueued
  // at a spread of instants over the last 30 minutes.
  const q = queues.filter((x) => x.waiting > 0);
  await db.transaction().execute(async (trx) => {
    await sql`
      INSERT INTO contacts (id, display_name)
      SELECT (${sql.lit(uuidPrefix(CONTACT_KIND))} || lpad(to_hex(k), 12, '0'))::uuid, 'Ciudadano ' || k
        FROM generate_series(0, ${world.totalWaiting - 1}::integer) AS k`.execute(trx);
    await sql`
      WITH spec AS (
        SELECT * FROM unnest(${q.map((x) => x.id)}::uuid[], ${q.map((x) => campaignId(x.campaignIndex))}::uuid[],
                             ${q.map((x) => campaigns[x.campaignIndex]?.channelId ?? '')}::uuid[], ${q.map((x) => campaigns[x.campaignIndex]?.prefix ?? '')}::text[],
                             ${q.map((x) => x.priority)}::smallint[], ${q.map((x) => x.waiting)}::integer[])
               AS t(queue_id, campaign_id, channel_id, prefix, priority, n)
      ), line AS (
        SELECT spec.*, (row_number() OVER (ORDER BY (i * 7919 + hashtext(spec.queue_id::text)) % 1000003, spec.queue_id, i) - 1)::integer AS k
          FROM spec CROSS JOIN LATERAL generate_series(1, spec.n) AS i
      )
      INSERT INTO conversations (id, folio, campaign_id, channel_id, contact_id, status, queue_id, priority, unread_count,
                                 opened_at, last_message_at, last_inbound_at, channel_class, enqueued_at, queue_entered_at, seat_type)
      SELECT (${sql.lit(uuidPrefix(CONVERSATION_KIND))} || lpad(to_hex(k), 12, '0'))::uuid, prefix || '-' || lpad(k::text, 7, '0'), campaign_id, channel_id,
             (${sql.lit(uuidPrefix(CONTACT_KIND))} || lpad(to_hex(k), 12, '0'))::uuid, 'queued', queue_id, priority, 1,
             at, at, at, 'text', at, at, 'PS-I'
        FROM line CROSS JOIN LATERAL (SELECT now() - ((k::bigint * 7919) % 1800000) * interval '1 millisecond' AS at) AS t
       ORDER BY k`.execute(trx);
  });
  const t2 = performance.now();
  await analyze(db);
  return { staffMs: t1 - t0, conversationsMs: t2 - t1, analyzeMs: performance.now() - t2 };
}

/** Seats in the briefing before the shift (not ready, no load), each idle for its own time. */
async function seatHistory(db: Kysely<Database>, world: StormWorld): Promise<void> {
  const { agents } = world;
  await sql`
    UPDATE agent_seats s
       SET state = 'not_ready', state_reason = 'briefing', idle_since = now() - t.idle_ms * interval '1 millisecond', state_since = now() - interval '8 hours',
           assigned_today = t.assigned, assigned_day = current_date, load_text = 0, load_voice = 0, load_email = 0
      FROM unnest(${agents.map((a) => a.id)}::uuid[], ${agents.map((a) => a.idleForMs)}::integer[], ${agents.map((a) => a.assignedToday)}::integer[]) AS t(id, idle_ms, assigned)
     WHERE s.user_id = t.id`.execute(db);
}

/**
 * Back to the state before the storm, for the next repeat: the offers, events and outbox rows go
 * (TRUNCATE: interaction_events refuses DELETE), offered conversations wait again, seats return
 * to the briefing with their idle times, the strategy memory is forgotten.
 */
export async function resetStorm(db: Kysely<Database>, world: StormWorld): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`TRUNCATE offers, interaction_events, outbox, router_state`.execute(trx);
    await sql`
      UPDATE conversations SET status = 'queued', assignee_id = NULL, offer_id = NULL, updated_at = now()
       WHERE status IN ('offered', 'assigned')`.execute(trx);
  });
  await seatHistory(db, world);
}

function uuidPrefix(kind: number): string {
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-`;
}

/** Statistics and visibility maps as a running installation would have them (autovacuum). */
export async function analyze(db: Kysely<Database>): Promise<void> {
  for (const table of ['users', 'user_campaigns', 'agent_skills', 'agent_seats', 'skills', 'queues', 'queue_skills', 'contacts', 'conversations', 'offers', 'interaction_events', 'outbox']) {
    await sql`VACUUM (ANALYZE) ${sql.table(table)}`.execute(db);
  }
}
