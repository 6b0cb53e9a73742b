import { sql, type Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';

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
  /** (conversation, agent) pairs where the agent stayed available with room the whole time: the invariant broken. */
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
