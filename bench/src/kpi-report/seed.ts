import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../hub/src/db/schema.js';

/**
 * One campaign-day of KPI facts written by PostgreSQL itself (generate_series): `rows` contacts
 * spread evenly over the local day, their agent talk/hold segments, and `rows` agent state
 * intervals (available / ACW chains) over `agents` agents. Deterministic: every figure is a
 * function of the row number, so two runs measure the same data.
 */
export interface KpiSeedSettings {
  readonly rows: number;
  readonly agents: number;
  readonly queues: number;
}

export interface KpiSeed {
  readonly campaignId: string;
  readonly dayStartMs: number;
  readonly dayEndMs: number;
  readonly facts: number;
  readonly segments: number;
  readonly intervals: number;
  readonly seedMs: number;
  readonly analyzeMs: number;
}

export async function seedKpiDay(db: Kysely<Database>, settings: KpiSeedSettings, day: { startMs: number; endMs: number }): Promise<KpiSeed> {
  const t0 = performance.now();
  const campaign = await db
    .insertInto('campaigns')
    .values({ slug: `bench-kpi-${randomUUID().slice(0, 8)}`, name: 'Bench KPI', folio_prefix: 'BKPI', settings: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const campaignId = campaign.id;
  const start = new Date(day.startMs).toISOString();
  const stepMs = (day.endMs - day.startMs) / settings.rows;
  const queues = Array.from({ length: settings.queues }, () => randomUUID());
  const queueArray = sql`ARRAY[${sql.join(queues.map((q) => sql`${q}::uuid`))}]`;
  // i = 0 … rows−1. 85 % answered after (i·37 mod 60) s; the rest abandon after (i·13 mod 90) s.
  // Channel: i mod 3 (voice, webchat, email). Talk 30 + (i·101 mod 600) s. Citizens: rows / 3.
  await sql`
    INSERT INTO kpi_contact_facts (conversation_id, campaign_id, channel_kind, channel_class, folio, queue_id, received_at,
      answered_at, answer_wait_ms, abandoned_at, abandon_wait_ms, first_response_at, resolved_at, talk_ms, hold_ms, acw_ms,
      transfers, tier2_transferred, survey_offered, survey_answered, first_agent_id, agent_ids, updated_from_event_id,
      contact_id, opened_at, reopened)
    SELECT gen_random_uuid(), ${campaignId}::uuid,
      (ARRAY['voice','webchat','email'])[i % 3 + 1], (ARRAY['voice','text','email'])[i % 3 + 1], 'BKPI-' || i,
      (${queueArray})[i % ${settings.queues} + 1], rec,
      CASE WHEN ans THEN rec + make_interval(secs => (i * 37) % 60) END, CASE WHEN ans THEN ((i * 37) % 60) * 1000 END,
      CASE WHEN NOT ans THEN rec + make_interval(secs => (i * 13) % 90) END, CASE WHEN NOT ans THEN ((i * 13) % 90) * 1000 END,
      CASE WHEN ans AND i % 3 <> 0 THEN rec + make_interval(secs => (i * 37) % 60 + 40) END,
      CASE WHEN ans THEN rec + make_interval(secs => (i * 37) % 60 + 30 + (i * 101) % 600) END,
      CASE WHEN ans THEN (30 + (i * 101) % 600) * 1000 ELSE 0 END,
      CASE WHEN ans AND i % 6 = 0 THEN 12000 ELSE 0 END,
      CASE WHEN ans AND i % 3 <> 2 THEN 15000 ELSE 0 END,
      CASE WHEN ans AND i % 50 = 7 THEN 1 ELSE 0 END, ans AND i % 50 = 7, ans AND i % 4 = 0, ans AND i % 4 = 0,
      CASE WHEN ans THEN 'agent-' || (i % ${settings.agents}) END,
      CASE WHEN ans THEN ARRAY['agent-' || (i % ${settings.agents})] ELSE '{}'::text[] END, i + 1,
      md5('citizen-' || (i % greatest(1, ${Math.floor(settings.rows / 3)})))::uuid, rec - interval '30 seconds', false
    FROM (
      SELECT i, ${start}::timestamptz + make_interval(secs => i * ${stepMs / 1000}::float8) AS rec, (i * 7919) % 100 < 85 AS ans
      FROM generate_series(0::bigint, ${settings.rows - 1}::bigint) AS i
    ) g`.execute(db);
  // FCR: each resolved fact's next opening of the same citizen (as fact-store.ts refreshNextOpened).
  await sql`
    UPDATE kpi_contact_facts f SET next_opened_at = (
      SELECT min(g.opened_at) FROM kpi_contact_facts g
      WHERE g.campaign_id = f.campaign_id AND g.contact_id = f.contact_id AND g.conversation_id <> f.conversation_id AND g.opened_at > f.resolved_at)
    WHERE f.campaign_id = ${campaignId}::uuid AND f.resolved_at IS NOT NULL AND f.contact_id IS NOT NULL`.execute(db);
  // Talk segments of the answered contacts; a hold inside every sixth (voice) one.
  await sql`
    INSERT INTO kpi_agent_segments (conversation_id, seq, campaign_id, agent_id, kind, channel_class, started_at, ended_at)
    SELECT conversation_id, 0, campaign_id, first_agent_id, 'talk', channel_class, answered_at, resolved_at
    FROM kpi_contact_facts WHERE campaign_id = ${campaignId}::uuid AND answered_at IS NOT NULL
    UNION ALL
    SELECT conversation_id, 1, campaign_id, first_agent_id, 'hold', 'voice', answered_at + interval '10 seconds', answered_at + interval '22 seconds'
    FROM kpi_contact_facts WHERE campaign_id = ${campaignId}::uuid AND hold_ms > 0`.execute(db);
  // Each agent: rows / agents contiguous intervals over the day, alternating available and ACW.
  const perAgent = Math.max(1, Math.floor(settings.rows / settings.agents));
  const intervalMs = (day.endMs - day.startMs) / perAgent;
  await sql`
    INSERT INTO kpi_agent_intervals (start_event_id, campaign_id, agent_id, state, reason, started_at, ended_at, end_event_id)
    SELECT a * ${perAgent} + j + 1, ${campaignId}::uuid, 'agent-' || a, CASE WHEN j % 2 = 0 THEN 'available' ELSE 'after_contact_work' END, NULL,
      ${start}::timestamptz + make_interval(secs => j * ${intervalMs / 1000}::float8),
      CASE WHEN j < ${perAgent - 1} THEN ${start}::timestamptz + make_interval(secs => (j + 1) * ${intervalMs / 1000}::float8) END,
      CASE WHEN j < ${perAgent - 1} THEN a * ${perAgent} + j + 2 END
    FROM generate_series(0, ${settings.agents - 1}) AS a, generate_series(0, ${perAgent - 1}) AS j`.execute(db);
  const seedMs = performance.now() - t0;
  const t1 = performance.now();
  await sql`ANALYZE kpi_contact_facts`.execute(db);
  await sql`ANALYZE kpi_agent_segments`.execute(db);
  await sql`ANALYZE kpi_agent_intervals`.execute(db);
  const analyzeMs = performance.now() - t1;
  const count = async (table: 'kpi_contact_facts' | 'kpi_agent_segments' | 'kpi_agent_intervals'): Promise<number> =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()).n);
  return {
    campaignId,
    dayStartMs: day.startMs,
    dayEndMs: day.endMs,
    facts: await count('kpi_contact_facts'),
    segments: await count('kpi_agent_segments'),
    intervals: await count('kpi_agent_intervals'),
    seedMs,
    analyzeMs,
  };
}
