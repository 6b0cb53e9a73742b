import { sql, type Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import { groupBy, offerEnd, type Snapshot } from './snapshot-checks.js';

/**
 * The router's invariants, checked from the database (issue 3): while the load runs, "nobody
 * waits more than 1 s while an eligible agent has room" (EligibleWaitSampler, then
 * judgeEligibleWaits against the history); after it, from one REPEATABLE READ snapshot
 * (takeSnapshot): the capacity timeline, one agent per conversation at a time, load counters,
 * conversation states and events.
 */

// ---------------------------------------------------------------------------------------------
// Invariant 3, sampled during the run.
// ---------------------------------------------------------------------------------------------

/**
 * Every (waiting conversation, agent) pair where the agent could take the conversation right
 * now: a conversation queued in a queue, an agent `available` (and not disabled), member of the
 * conversation's campaign, not excluded from it (rejected it or let it time out), holding every
 * skill the queue requires at `min_level − relaxed_levels` (never below 1; skills count only in
 * campaigns the agent belongs to, as in routing-snapshot.ts), with room for the channel class
 * (text: load_text < cap_text and no call; email likewise; voice: the whole seat free).
 * One statement, so one snapshot; `sampled_at` is when that snapshot was taken.
 */
export const ELIGIBLE_WAITING_SQL = sql<EligibleWaitingRow>`
  SELECT c.id AS conversation_id,
         s.user_id AS agent_id,
         c.queue_id,
         c.relaxed_levels,
         (SELECT count(*) FROM offers o WHERE o.conversation_id = c.id)::int AS offers,
         s.load_text,
         s.cap_text,
         (extract(epoch FROM statement_timestamp()) * 1000)::float8 AS sampled_at
    FROM conversations c
    JOIN agent_seats s ON s.state = 'available'
    JOIN users u ON u.id = s.user_id AND NOT u.disabled
   WHERE c.status = 'queued' AND c.queue_id IS NOT NULL AND c.closed_at IS NULL
     AND EXISTS (SELECT 1 FROM user_campaigns m WHERE m.user_id = s.user_id AND m.campaign_id = c.campaign_id)
     AND NOT (s.user_id = ANY (c.excluded_agent_ids))
     AND CASE coalesce(c.channel_class, 'text')
           WHEN 'text'  THEN s.load_voice = 0 AND s.load_text < s.cap_text
           WHEN 'email' THEN s.load_voice = 0 AND s.load_email < s.cap_email
           ELSE s.cap_voice >= 1 AND s.load_voice = 0 AND s.load_text = 0
         END
     AND NOT EXISTS (
           SELECT 1 FROM queue_skills q
            WHERE q.queue_id = c.queue_id
              AND NOT EXISTS (
                    SELECT 1 FROM agent_skills a
                      JOIN skills k ON k.id = a.skill_id
                      JOIN user_campaigns mk ON mk.user_id = a.user_id AND mk.campaign_id = k.campaign_id
                     WHERE a.user_id = s.user_id AND a.skill_id = q.skill_id
                       AND a.level >= greatest(1, q.min_level - c.relaxed_levels)))
   ORDER BY c.id, s.user_id`;

export interface EligibleWaitingRow {
  conversation_id: string;
  agent_id: string;
  queue_id: string;
  relaxed_levels: number;
  offers: number;
  load_text: number;
  cap_text: number;
  sampled_at: number;
}

/** A conversation seen eligible-waiting in consecutive samples (any eligible agent), no offer made for it meanwhile. */
export interface ConversationStreak {
  conversationId: string;
  queueId: string;
  relaxedLevels: number;
  firstAt: number;
  lastAt: number;
  samples: number;
  /** "agentId (load/cap)" as seen during the streak. */
  agentsSeen: string[];
  /** How long before the streak's last sample the newest offer (of any conversation) was made. */
  newestOfferAgoMs: number;
  /** What the database was doing when the streak first passed the threshold (first few only). */
  activity?: string[];
}

/** One (conversation, agent) pair seen eligible-waiting in consecutive samples. */
export interface PairStreak {
  conversationId: string;
  agentId: string;
  queueId: string;
  firstAt: number;
  lastAt: number;
  samples: number;
  loads: string[];
}

/** pg advisory lock class of the routing passes (router-service.ts ROUTER_LOCK_CLASS). */
const ROUTER_LOCK_CLASS = 73_031;

/**
 * Backends in a transaction on this schema's tables (other test files may share the database),
 * what blocks them, and which one holds this schema's routing-pass lock: for the report of a
 * violation. "idle in transaction … ClientRead" means PostgreSQL waits for the hub process.
 */
export async function databaseActivity(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ pid: number; state: string | null; wait: string | null; xact_ms: number | null; query_ms: number | null; blocked_by: number[]; router_lock: boolean; query: string }>`
    SELECT * FROM (
      SELECT a.pid, a.state, a.wait_event_type || ':' || a.wait_event AS wait, a.xact_start,
             (extract(epoch FROM clock_timestamp() - a.xact_start) * 1000)::int AS xact_ms,
             (extract(epoch FROM clock_timestamp() - a.query_start) * 1000)::int AS query_ms,
             pg_blocking_pids(a.pid) AS blocked_by,
             EXISTS (SELECT 1 FROM pg_locks l
                      WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted
                        AND l.classid = ${ROUTER_LOCK_CLASS} AND l.objid::bigint = (hashtext(current_schema())::bigint & 4294967295)) AS router_lock,
             -- Other test files and benchmarks share the database: keep backends working in this schema.
             EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class r ON r.oid = l.relation JOIN pg_namespace n ON n.oid = r.relnamespace
                      WHERE l.pid = a.pid AND n.nspname = current_schema()) AS in_schema,
             left(regexp_replace(a.query, '[[:space:]]+', ' ', 'g'), 160) AS query
        FROM pg_stat_activity a
       WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.state IS DISTINCT FROM 'idle'
    ) x
    WHERE x.in_schema OR x.router_lock
    ORDER BY x.xact_start NULLS LAST`.execute(db);
  return rows.map(
    (r) =>
      `pid ${r.pid}${r.router_lock ? ' [holds the router lock]' : ''} ${r.state ?? '?'} xact ${r.xact_ms ?? '-'} ms, query ${r.query_ms ?? '-'} ms, wait ${r.wait ?? '-'}${r.blocked_by.length > 0 ? `, blocked by ${r.blocked_by.join(',')}` : ''}: ${r.query}`,
  );
}

/**
 * Samples ELIGIBLE_WAITING_SQL every `intervalMs` and keeps two kinds of streaks, both broken by a
 * missed sample, a queue change or an offer made for the conversation:
 *  - per conversation (any eligible agent at each sample): the simple form, reported as is;
 *  - per (conversation, agent) pair: the candidates judgeEligibleWaits checks against the offer
 *    history, because a saturated line makes a conversation look eligible at every sample while
 *    each freed slot is taken within milliseconds by more urgent work.
 * Streaks spanning more than `thresholdMs` are kept.
 */
export class EligibleWaitSampler {
  samples = 0;
  /** Conversation-samples seen eligible-waiting (transient ones included). */
  hits = 0;
  /** Longest conversation streak seen, over the threshold or not. */
  maxSpanMs = 0;
  /** Slowest sampling query. */
  maxQueryMs = 0;
  /** Seats seen above a capacity during the run (load_text > cap_text …). */
  readonly overCapacitySeen: string[] = [];
  readonly conversationStreaks: ConversationStreak[] = [];
  readonly pairStreaks: PairStreak[] = [];
  private readonly open = new Map<string, { streak: ConversationStreak; offers: number; lastSample: number; kept: boolean }>();
  private readonly openPairs = new Map<string, { streak: PairStreak; offers: number; lastSample: number; kept: boolean }>();
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly intervalMs = 250,
    private readonly thresholdMs = 1000,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const started = Date.now();
      await this.sampleOnce();
      await new Promise((r) => setTimeout(r, Math.max(0, this.intervalMs - (Date.now() - started))));
    }
  }

  async sampleOnce(): Promise<void> {
    const started = performance.now();
    const [{ rows }, newest, over] = await Promise.all([
      ELIGIBLE_WAITING_SQL.execute(this.db),
      sql<{ ago_ms: number | null }>`SELECT (extract(epoch FROM statement_timestamp() - max(created_at)) * 1000)::float8 AS ago_ms FROM offers`.execute(this.db),
      sql<{ user_id: string; load_text: number; cap_text: number; load_voice: number; load_email: number; cap_email: number }>`
        SELECT user_id, load_text, cap_text, load_voice, load_email, cap_email FROM agent_seats
         WHERE load_text > cap_text OR load_email > cap_email OR load_voice > 1 OR (load_voice > 0 AND load_text > 0)`.execute(this.db),
    ]);
    this.maxQueryMs = Math.max(this.maxQueryMs, performance.now() - started);
    const newestOfferAgoMs = Math.round(newest.rows[0]?.ago_ms ?? -1);
    this.samples += 1;
    const sample = this.samples;
    for (const o of over.rows) {
      if (this.overCapacitySeen.length < 100) this.overCapacitySeen.push(`${o.user_id}: text ${o.load_text}/${o.cap_text}, voice ${o.load_voice}, email ${o.load_email}/${o.cap_email}`);
    }
    const byConversation = groupBy(rows, (row) => row.conversation_id);
    this.hits += byConversation.size;
    for (const [id, pairs] of byConversation) {
      const first = pairs[0] as EligibleWaitingRow;
      const prev = this.open.get(id);
      const entry =
        prev && prev.lastSample === sample - 1 && prev.offers === first.offers && prev.streak.queueId === first.queue_id
          ? prev
          : {
              streak: { conversationId: id, queueId: first.queue_id, relaxedLevels: first.relaxed_levels, firstAt: first.sampled_at, lastAt: first.sampled_at, samples: 0, agentsSeen: [], newestOfferAgoMs },
              offers: first.offers,
              lastSample: sample,
              kept: false,
            };
      const streak = entry.streak;
      entry.lastSample = sample;
      streak.lastAt = first.sampled_at;
      streak.samples += 1;
      streak.relaxedLevels = first.relaxed_levels;
      streak.newestOfferAgoMs = newestOfferAgoMs;
      for (const p of pairs) {
        const seen = `${p.agent_id} (${p.load_text}/${p.cap_text})`;
        if (!streak.agentsSeen.includes(seen)) streak.agentsSeen.push(seen);
      }
      this.open.set(id, entry);
      const span = streak.lastAt - streak.firstAt;
      this.maxSpanMs = Math.max(this.maxSpanMs, span);
      if (span > this.thresholdMs && !entry.kept) {
        entry.kept = true;
        this.conversationStreaks.push(streak);
        if (this.conversationStreaks.length <= 5) streak.activity = await databaseActivity(this.db).catch((e: unknown) => [String(e)]);
      }

      for (const p of pairs) {
        const key = `${id}|${p.agent_id}`;
        const prevPair = this.openPairs.get(key);
        const pair =
          prevPair && prevPair.lastSample === sample - 1 && prevPair.offers === p.offers && prevPair.streak.queueId === p.queue_id
            ? prevPair
            : { streak: { conversationId: id, agentId: p.agent_id, queueId: p.queue_id, firstAt: p.sampled_at, lastAt: p.sampled_at, samples: 0, loads: [] }, offers: p.offers, lastSample: sample, kept: false };
        pair.lastSample = sample;
        pair.streak.lastAt = p.sampled_at;
        pair.streak.samples += 1;
        pair.streak.loads.push(`${p.load_text}/${p.cap_text}`);
        this.openPairs.set(key, pair);
        if (pair.streak.lastAt - pair.streak.firstAt > this.thresholdMs && !pair.kept) {
          pair.kept = true;
          this.pairStreaks.push(pair.streak);
        }
      }
    }
    for (const [id, entry] of this.open) if (entry.lastSample !== sample) this.open.delete(id);
    for (const [key, entry] of this.openPairs) if (entry.lastSample !== sample) this.openPairs.delete(key);
  }
}

export interface EligibleWaitViolation {
  conversationId: string;
  queueId: string;
  agentId: string;
  waitedWithAgentFreeMs: number;
  from: string;
  to: string;
  agentLoadsSeen: string[];
  agentMaxLoadInWindow: number;
  agentCapacity: number;
}

export interface EligibleWaitJudgement {
  /** (conversation, agent) pairs where the agent stayed available with room the whole time (waits over the sampler threshold, 1 s). */
  violations: EligibleWaitViolation[];
  /** Pair streaks over the threshold that the history explains, by reason. */
  dismissed: Record<string, number>;
}

/**
 * Checks each pair streak against the history: a violation only if, for the whole window, the
 * agent stayed `available` (no agent.state_changed event) and below capacity at every instant
 * (its sessions from the offers table, as in the capacity sweep line), while the conversation
 * got no offer (guaranteed by the streak). Otherwise each freed slot was taken — by the router,
 * for more urgent or older work — and the sampler only caught the moments in between.
 */
export function judgeEligibleWaits(streaks: readonly PairStreak[], s: Snapshot, capacity: ReadonlyMap<string, { text: number }>): EligibleWaitJudgement {
  const offersByAgent = groupBy(s.offers, (o) => o.agent_id);
  const changesByAgent = groupBy(s.stateChanges, (c) => c.agentId);
  const violations: EligibleWaitViolation[] = [];
  const dismissed: Record<string, number> = {};
  for (const p of streaks) {
    const cap = capacity.get(p.agentId)?.text ?? 0;
    if ((changesByAgent.get(p.agentId) ?? []).some((c) => c.at > p.firstAt && c.at <= p.lastAt)) {
      dismissed['agent changed state within the window'] = (dismissed['agent changed state within the window'] ?? 0) + 1;
      continue;
    }
    let load = 0;
    const points: { t: number; d: number }[] = [];
    for (const o of (offersByAgent.get(p.agentId) ?? []).filter((x) => x.channel_class === 'text')) {
      const start = o.created_at.getTime();
      const end = offerEnd(o) ?? Number.POSITIVE_INFINITY;
      if (start <= p.firstAt && end > p.firstAt) load += 1;
      if (start > p.firstAt && start <= p.lastAt) points.push({ t: start, d: 1 });
      if (end > p.firstAt && end <= p.lastAt) points.push({ t: end, d: -1 });
    }
    points.sort((x, y) => x.t - y.t || x.d - y.d);
    let max = load;
    for (const pt of points) {
      load += pt.d;
      max = Math.max(max, load);
    }
    if (max >= cap) {
      dismissed['agent was full at some instant of the window (its room went to other work)'] = (dismissed['agent was full at some instant of the window (its room went to other work)'] ?? 0) + 1;
      continue;
    }
    violations.push({
      conversationId: p.conversationId,
      queueId: p.queueId,
      agentId: p.agentId,
      waitedWithAgentFreeMs: Math.round(p.lastAt - p.firstAt),
      from: new Date(p.firstAt).toISOString(),
      to: new Date(p.lastAt).toISOString(),
      agentLoadsSeen: p.loads,
      agentMaxLoadInWindow: max,
      agentCapacity: cap,
    });
  }
  return { violations, dismissed };
}

export * from './snapshot-checks.js';
