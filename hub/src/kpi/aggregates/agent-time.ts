import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { endsArray, sqlBucketOrdinal, startsArray, type BucketIndex, type QueryRange } from './sql-buckets.js';

/**
 * The agent half of the series: milliseconds per (bucket, agent) of each agent state
 * (kpi_agent_intervals) and of talk / hold per channel class (kpi_agent_segments), every span cut
 * at the period and bucket edges in SQL. An open state interval runs until `asOf`.
 */
export interface AgentTime {
  readonly talkVoiceMs: number;
  readonly talkTextMs: number;
  readonly talkEmailMs: number;
  readonly holdMs: number;
  /** kpi_agent_intervals per state (available, after_contact_work, lunch, …). */
  readonly stateTimesMs: Readonly<Record<string, number>>;
}

export interface AgentTimeQuery {
  readonly campaignId: string;
  readonly range: QueryRange;
  readonly agentId?: string;
  readonly asOfMs: number;
}

interface RawPiece {
  ord: number;
  agent_id: string;
  source: string;
  ms: string;
}

/** (bucket ordinal → agent id → time). */
export type AgentTimeIndex = Map<number, Map<string, AgentTime>>;

export async function agentTime(db: Kysely<Database>, index: BucketIndex, q: AgentTimeQuery): Promise<AgentTimeIndex> {
  const rs = new Date(q.range.startMs).toISOString();
  const re = new Date(q.range.endMs).toISOString();
  const asOf = new Date(q.asOfMs).toISOString();
  const agentFilter = q.agentId === undefined ? sql`` : sql`AND agent_id = ${q.agentId}`;
  const period = sql`tstzrange(${rs}::timestamptz, ${re}::timestamptz, '[)')`;
  const starts = startsArray(index.buckets);
  const ends = endsArray(index.buckets);
  // Each span is clipped to the period, then cut into the buckets from the one holding its start
  // to the one holding its last millisecond (spans are half-open, timestamps in ms).
  const result = await sql<RawPiece>`
    WITH spans AS (
      SELECT agent_id, 'state:' || state AS source, greatest(started_at, ${rs}::timestamptz) AS s,
        least(COALESCE(ended_at, ${asOf}::timestamptz), ${re}::timestamptz) AS e
      FROM kpi_agent_intervals
      WHERE tstzrange(started_at, COALESCE(ended_at, 'infinity'::timestamptz), '[)') && ${period}
        AND campaign_id = ${q.campaignId}::uuid ${agentFilter}
      UNION ALL
      SELECT agent_id, kind || ':' || channel_class, greatest(started_at, ${rs}::timestamptz), least(ended_at, ${re}::timestamptz)
      FROM kpi_agent_segments
      WHERE tstzrange(started_at, ended_at, '[)') && ${period} AND campaign_id = ${q.campaignId}::uuid ${agentFilter}
    ),
    edges AS (SELECT ${starts} AS starts, ${ends} AS ends),
    placed AS (
      SELECT agent_id, source, s, e, ${sqlBucketOrdinal(sql`s`, sql`edges.starts`)} AS first_ord,
        ${sqlBucketOrdinal(sql`(e - interval '1 millisecond')`, sql`edges.starts`)} AS last_ord
      FROM spans, edges WHERE e > s
    )
    SELECT ord, agent_id, source, round(extract(epoch FROM sum(span)) * 1000) AS ms FROM (
      SELECT first_ord AS ord, agent_id, source, e - s AS span FROM placed WHERE first_ord = last_ord
      UNION ALL
      SELECT g.ord, p.agent_id, p.source, least(p.e, edges.ends[g.ord + 1]) - greatest(p.s, edges.starts[g.ord + 1])
      FROM placed p CROSS JOIN edges CROSS JOIN LATERAL generate_series(p.first_ord, p.last_ord) AS g(ord)
      WHERE p.first_ord <> p.last_ord
    ) pieces
    GROUP BY ord, agent_id, source`.execute(db);
  // Accumulated in place (tens of thousands of pieces for a half-hour series by agent).
  const out = new Map<number, Map<string, MutableAgentTime>>();
  for (const row of result.rows) {
    const ord = Number(row.ord);
    if (ord < 0 || ord >= index.buckets.length) throw new Error(`KPI span outside the buckets (ordinal ${ord})`);
    let agents = out.get(ord);
    if (!agents) {
      agents = new Map();
      out.set(ord, agents);
    }
    let time = agents.get(row.agent_id);
    if (!time) {
      time = { talkVoiceMs: 0, talkTextMs: 0, talkEmailMs: 0, holdMs: 0, stateTimesMs: {} };
      agents.set(row.agent_id, time);
    }
    addPiece(time, row.source, Number(row.ms));
  }
  return out;
}

interface MutableAgentTime {
  talkVoiceMs: number;
  talkTextMs: number;
  talkEmailMs: number;
  holdMs: number;
  stateTimesMs: Record<string, number>;
}

function addPiece(time: MutableAgentTime, source: string, ms: number): void {
  if (source.startsWith('state:')) {
    const state = source.slice('state:'.length);
    time.stateTimesMs[state] = (time.stateTimesMs[state] ?? 0) + ms;
    return;
  }
  if (source === 'talk:voice') time.talkVoiceMs += ms;
  else if (source === 'talk:text') time.talkTextMs += ms;
  else if (source === 'talk:email') time.talkEmailMs += ms;
  else time.holdMs += ms;
}

export const ZERO_AGENT_TIME: AgentTime = { talkVoiceMs: 0, talkTextMs: 0, talkEmailMs: 0, holdMs: 0, stateTimesMs: {} };

export function addAgentTime(a: AgentTime, b: AgentTime): AgentTime {
  const states: Record<string, number> = { ...a.stateTimesMs };
  for (const [state, ms] of Object.entries(b.stateTimesMs)) states[state] = (states[state] ?? 0) + ms;
  return {
    talkVoiceMs: a.talkVoiceMs + b.talkVoiceMs,
    talkTextMs: a.talkTextMs + b.talkTextMs,
    talkEmailMs: a.talkEmailMs + b.talkEmailMs,
    holdMs: a.holdMs + b.holdMs,
    stateTimesMs: states,
  };
}
