import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { storeSystemMessages, type SystemMessage } from '../../outbound/system-message.js';
import { writeOutbox, type OutboxRow } from '../../outbox/outbox.js';
import { isOpenAt } from '../calendar/business-hours.js';
import { nextOverflowStep } from '../config/overflow.js';
import type { ChannelClass } from '../core/router.types.js';
import { queueTreatmentMessage } from '../queue-treatment/queue-treatment-message.js';
import {
  DEFAULT_TREATMENT_PLAN_OPTIONS,
  historyKey,
  notificationsToSend,
  parseStoredTreatment,
  planQueueTreatment,
  type ConversationTreatment,
  type HandleTimeSample,
  type TreatmentCandidate,
  type TreatmentPlanOptions,
  type WaitHistory,
} from '../queue-treatment/treatment-plan.js';
import { loadAgentSnapshots, queueSnapshots } from '../store/routing-snapshot.js';
import { loadCampaignRouting, loadRoutingQueues, type RoutingQueueRow } from '../store/routing-settings.js';
import { applyDueOverflow } from './overflow.usecase.js';
import { mergeEffects, noEffects, type RouterEffects } from './router-effects.js';

/**
 * Queue treatment (issue 3 items 5 and 1; queue-treatment/README.md, "How it is computed and
 * pushed"): every waiting conversation's place in line and estimated wait, stored in
 * conversations.treatment and pushed to the citizen as a system message when what they would
 * read changed (throttled); and the overflow steps "estimated wait over X" the estimate makes due.
 *
 * One refresh computes at a time across all processes: the reads and the plan run in a transaction
 * holding a transaction-level advisory lock. The writes follow in their own short statements and
 * small transactions, one connection at a time, and skip rows someone else has locked (SKIP
 * LOCKED): the refresh never waits on the router, so it cannot deadlock with it, and the router
 * waits on it at most one small batch. Messages compare-and-set on the last one sent, so refreshes
 * whose writes overlap never send a citizen the same news twice.
 */

/** pg advisory lock namespace of the treatment refresh (the router's is 73031). */
export const TREATMENT_LOCK_CLASS = 73_032;

export interface QueueTreatmentOptions {
  /** Waiting conversations read per refresh, most urgent first (the router's ROUTER_WAITING_LIMIT). */
  readonly waitingLimit: number;
  /** Messages sent per refresh at most; the rest are due again at the next one. */
  readonly maxMessagesPerRun: number;
  /** Estimate-based overflows applied per refresh at most (one transaction each). */
  readonly maxOverflowsPerRun: number;
  /** Window of the completions the rate estimate counts. */
  readonly rateWindowMs: number;
  /** Window of the sessions the AHT is measured on. */
  readonly handleTimeWindowMs: number;
  /** Sessions opened longer ago are not read (bounds the scan; see the README's approximations). */
  readonly sessionLookbackMs: number;
  /**
   * A changed treatment nobody is messaged about is rewritten at most this often: at 100,000
   * waiting nearly every place changes at every refresh, and the stored copy is for reading (the
   * sent half, which the throttle needs, is always written with its message).
   */
  readonly minStoreIntervalMs: number;
  readonly plan: TreatmentPlanOptions;
}

const MINUTE = 60_000;

export const DEFAULT_QUEUE_TREATMENT_OPTIONS: QueueTreatmentOptions = Object.freeze({
  waitingLimit: 200_000,
  maxMessagesPerRun: 500,
  maxOverflowsPerRun: 200,
  rateWindowMs: 15 * MINUTE,
  handleTimeWindowMs: 60 * MINUTE,
  sessionLookbackMs: 8 * 60 * MINUTE,
  minStoreIntervalMs: 30_000,
  plan: DEFAULT_TREATMENT_PLAN_OPTIONS,
});

export type QueueTreatmentSettings = Partial<Omit<QueueTreatmentOptions, 'plan'>> & { plan?: Partial<TreatmentPlanOptions> };

export interface QueueTreatmentRun extends RouterEffects {
  /** Another process held the lock: nothing was done. */
  skipped: boolean;
  waiting: number;
  /** Treatments written (changed display, or a message sent). */
  stored: number;
  notified: number;
  overflowed: number;
  /** Overflows that threw (retried at the next refresh; the others went on). */
  overflowFailures: unknown[];
}

/** Rows per treatment-only write statement: each holds its rows only for that statement. */
const WRITE_CHUNK = 1000;
/** Conversations messaged per transaction (see sendTreatments). */
const SEND_BATCH = 10;

export async function refreshQueueTreatment(db: Kysely<Database>, now: number, settings: QueueTreatmentSettings = {}): Promise<QueueTreatmentRun> {
  const options: QueueTreatmentOptions = { ...DEFAULT_QUEUE_TREATMENT_OPTIONS, ...settings, plan: { ...DEFAULT_QUEUE_TREATMENT_OPTIONS.plan, ...settings.plan } };
  const run: QueueTreatmentRun = { ...noEffects(), skipped: false, waiting: 0, stored: 0, notified: 0, overflowed: 0, overflowFailures: [] };
  const snapshot = await planUnderLock(db, now, options);
  if (snapshot === null) return { ...run, skipped: true };
  const { plan, queues, rowsById } = snapshot;
  run.waiting = rowsById.size;
  if (plan.length === 0) return run;

  // Writes one connection at a time, never while holding another: a refresh must not be what
  // exhausts the pool the routing passes and the API share.
  const effects: RouterEffects[] = [];
  const overflowed = new Set<string>();
  for (const treatment of dueOnEstimate(plan, queues, rowsById, now).slice(0, options.maxOverflowsPerRun)) {
    const { id, queueId } = treatment.conversation;
    try {
      // Only this queue's estimate is known here; a queue it moves into is judged at the next refresh.
      const result = await applyDueOverflow(db, id, now, (q) => (q === queueId ? (treatment.estimate?.ms ?? null) : null));
      effects.push(result);
      if (result.reroute) overflowed.add(id);
    } catch (error) {
      // One conversation that cannot move (a deadlock, a row edited by hand) must not stop the rest.
      run.overflowFailures.push(error);
    }
  }
  run.overflowed = overflowed.size;

  const remaining = plan.filter((t) => !overflowed.has(t.conversation.id));
  // E-mail is answered within hours (seed §6.2: 13 h), not live: a place-in-line message every
  // minute would flood the citizen's inbox and trip spam filters. Its place is still computed and
  // stored (the inbox and reports read it); the acknowledgement already gave the folio.
  // A caller in line hears the same place and estimate in the voice bridge's wait announcement; a
  // text message on a voice channel cannot be sent (issue 8).
  const messageable = remaining.filter((t) => t.conversation.channelClass !== 'email' && t.conversation.channelClass !== 'voice');
  const sent = await sendTreatments(db, notificationsToSend(messageable, options.maxMessagesPerRun), rowsById, now);
  const quiet = remaining.filter((t) => {
    if (!t.changed || sent.conversationIds.has(t.conversation.id)) return false;
    const { stored } = t.conversation;
    return stored === null || now - Date.parse(stored.updatedAt) >= options.minStoreIntervalMs;
  });
  const written = await writeTreatments(db, quiet.map((t) => ({ id: t.conversation.id, patch: computedPart(t, now) })));

  const merged = mergeEffects(...effects, { outbox: sent.outbox, timers: [], messageIds: sent.messageIds, reroute: false });
  return { ...run, ...merged, notified: sent.conversationIds.size, stored: written + sent.conversationIds.size };
}

interface PlannedRefresh {
  plan: ConversationTreatment[];
  queues: Map<string, RoutingQueueRow>;
  rowsById: Map<string, WaitingRow>;
}

/**
 * Reads and plans in one transaction holding the refresh lock; null when another process holds
 * it. Only one process computes at a time; the writes that follow check what they overwrite
 * (sendTreatments), so a refresh that starts while the previous one still writes cannot message
 * anyone twice.
 */
async function planUnderLock(db: Kysely<Database>, now: number, options: QueueTreatmentOptions): Promise<PlannedRefresh | null> {
  return db.transaction().execute(async (lock) => {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${TREATMENT_LOCK_CLASS}, hashtext(current_schema())) AS locked`.execute(lock);
    if (rows[0]?.locked !== true) return null;
    const waitingRows = await loadWaitingForTreatment(lock, options.waitingLimit);
    const queues = await loadRoutingQueues(lock);
    const rowsById = new Map(waitingRows.map((r) => [r.candidate.id, r]));
    if (waitingRows.length === 0) return { plan: [], queues, rowsById };
    const campaignIds = [...new Set(waitingRows.map((r) => r.campaignId))];
    const routing = await loadCampaignRouting(lock, campaignIds);
    const nowDate = new Date(now);
    const closed = new Set(
      campaignIds.filter((id) => {
        const r = routing.get(id);
        return r !== undefined && !isOpenAt(r.schedule, r.holidays, nowDate);
      }),
    );
    // Who will serve without anyone acting: available or in after-contact work (STAFFED_STATES), read as the router reads them.
    const agents = await loadAgentSnapshots(lock, ['available', 'after_contact_work']);
    const history = await loadWaitHistory(lock, agents.map((a) => a.id), now, options);
    const candidates: TreatmentCandidate[] = waitingRows.map((r) => ({ ...r.candidate, afterHours: closed.has(r.campaignId) }));
    const plan = planQueueTreatment({ waiting: candidates, queues: queueSnapshots(queues), agents, history, now }, options.plan);
    return { plan, queues, rowsById };
  });
}

interface WaitingRow {
  candidate: Omit<TreatmentCandidate, 'afterHours'>;
  campaignId: string;
  channelId: string;
  folio: string;
  overflowSteps: number;
}

/** Same set and order as the router's loadWaiting, plus what the treatment needs. */
async function loadWaitingForTreatment(trx: Transaction<Database>, limit: number): Promise<WaitingRow[]> {
  const rows = await trx
    .selectFrom('conversations')
    .select(['id', 'campaign_id', 'channel_id', 'folio', 'queue_id', 'channel_class', 'enqueued_at', 'queue_entered_at', 'opened_at', 'relaxed_levels', 'overflow_steps', 'treatment'])
    .where('status', '=', 'queued')
    .where('queue_id', 'is not', null)
    .where('closed_at', 'is', null)
    .orderBy('priority')
    .orderBy('enqueued_at')
    .limit(limit)
    .execute();
  return rows.flatMap((r) => {
    if (r.queue_id === null) return [];
    const enqueuedAt = (r.enqueued_at ?? r.opened_at).getTime();
    return [
      {
        candidate: {
          id: r.id,
          queueId: r.queue_id,
          channelClass: r.channel_class ?? 'text',
          enqueuedAt,
          relaxedLevels: r.relaxed_levels,
          queueEnteredAt: r.queue_entered_at?.getTime() ?? enqueuedAt,
          stored: parseStoredTreatment(r.treatment),
        },
        campaignId: r.campaign_id,
        channelId: r.channel_id,
        folio: r.folio,
        overflowSteps: r.overflow_steps,
      },
    ];
  });
}


/**
 * Recent history from the offers table (one row per session: created_at = the seat is taken,
 * ended_at = released): accepted sessions of the staffed agents that ended in the windows.
 * Completions per agent and class (rate window), seat occupancy per queue and class (AHT window).
 * Read through offers_agent_idx (agent_id, created_at), bounded by sessionLookbackMs.
 */
async function loadWaitHistory(trx: Transaction<Database>, agentIds: readonly string[], now: number, options: QueueTreatmentOptions): Promise<WaitHistory> {
  const completions = new Map<string, number>();
  const handleTimes = new Map<string, HandleTimeSample>();
  const history: WaitHistory = { windowMs: options.rateWindowMs, completions, handleTimes };
  if (agentIds.length === 0) return history;
  const rateFrom = new Date(now - options.rateWindowMs);
  const ahtFrom = new Date(now - options.handleTimeWindowMs);
  const earliest = new Date(now - Math.max(options.rateWindowMs, options.handleTimeWindowMs));
  const { rows } = await sql<{ agent_id: string; queue_id: string | null; channel_class: ChannelClass; recent: string; sessions: string; total_ms: string | null }>`
    SELECT agent_id, queue_id, channel_class,
           count(*) FILTER (WHERE ended_at > ${rateFrom}) AS recent,
           count(*) FILTER (WHERE ended_at > ${ahtFrom}) AS sessions,
           sum(extract(epoch FROM ended_at - created_at) * 1000) FILTER (WHERE ended_at > ${ahtFrom}) AS total_ms
      FROM offers
     WHERE agent_id = ANY(${[...agentIds]}::uuid[])
       AND created_at > ${new Date(now - options.sessionLookbackMs)}
       AND status = 'accepted'
       AND ended_at > ${earliest} AND ended_at <= ${new Date(now)}
     GROUP BY agent_id, queue_id, channel_class`.execute(trx);
  for (const row of rows) {
    const agentKey = historyKey(row.agent_id, row.channel_class);
    completions.set(agentKey, (completions.get(agentKey) ?? 0) + Number(row.recent));
    const sessions = Number(row.sessions);
    if (row.queue_id === null || sessions === 0) continue;
    const queueKey = historyKey(row.queue_id, row.channel_class);
    const before = handleTimes.get(queueKey) ?? { sessions: 0, totalMs: 0 };
    handleTimes.set(queueKey, { sessions: before.sessions + sessions, totalMs: before.totalMs + Number(row.total_ms ?? 0) });
  }
  return history;
}

/** Conversations whose queue's next overflow step is "estimated wait over X" and whose estimate exceeds it. */
function dueOnEstimate(
  plan: readonly ConversationTreatment[],
  queues: ReadonlyMap<string, RoutingQueueRow>,
  rowsById: ReadonlyMap<string, WaitingRow>,
  now: number,
): ConversationTreatment[] {
  const watched = new Set([...queues.values()].filter((q) => q.config.overflow.some((s) => 'estimatedWaitOverSeconds' in s.trigger)).map((q) => q.id));
  if (watched.size === 0) return [];
  return plan.filter((t) => {
    const queue = queues.get(t.conversation.queueId);
    const row = rowsById.get(t.conversation.id);
    if (queue === undefined || row === undefined || !watched.has(queue.id)) return false;
    const next = nextOverflowStep(queue.config, {
      enqueuedAt: t.conversation.queueEnteredAt,
      stepsApplied: row.overflowSteps,
      now,
      estimatedWaitMs: t.estimate?.ms ?? null,
    });
    // A due time-based step is its durable timer's job.
    return next.kind === 'due' && 'estimatedWaitOverSeconds' in next.step.trigger;
  });
}

function computedPart(t: ConversationTreatment, now: number): Record<string, unknown> {
  return {
    position: t.position,
    estimatedWaitMs: t.estimate === null ? null : Math.round(t.estimate.ms),
    method: t.estimate?.method ?? null,
    display: t.display,
    updatedAt: new Date(now).toISOString(),
  };
}

/**
 * Stores the messages and what they said, a few conversations per transaction, for those still
 * waiting in the queue they were planned in. Their rows are locked (SKIP LOCKED: one the router is
 * claiming is about to be served and is not told to wait) only while one small batch is written,
 * because the router's claim waits on them: a whole refresh's messages in one transaction held the
 * front of the line for a second under load.
 */
async function sendTreatments(
  db: Kysely<Database>,
  due: readonly ConversationTreatment[],
  rowsById: ReadonlyMap<string, WaitingRow>,
  now: number,
): Promise<{ conversationIds: Set<string>; messageIds: string[]; outbox: OutboxRow[] }> {
  const result = { conversationIds: new Set<string>(), messageIds: [] as string[], outbox: [] as OutboxRow[] };
  const sentAt = new Date(now).toISOString();
  for (let i = 0; i < due.length; i += SEND_BATCH) {
    const batch = due.slice(i, i + SEND_BATCH);
    await db.transaction().execute(async (trx) => {
      const live = await trx
        .selectFrom('conversations')
        .select(['id', 'queue_id', 'treatment'])
        .where('id', 'in', batch.map((t) => t.conversation.id))
        .where('status', '=', 'queued')
        .where('closed_at', 'is', null)
        .forNoKeyUpdate()
        .skipLocked()
        .execute();
      const liveById = new Map(live.map((r) => [r.id, r]));
      const messages: SystemMessage[] = [];
      const patches: TreatmentPatch[] = [];
      for (const t of batch) {
        const row = rowsById.get(t.conversation.id);
        const current = liveById.get(t.conversation.id);
        if (row === undefined || current === undefined || current.queue_id !== t.conversation.queueId) continue;
        // Compare-and-set on what was last sent: a refresh planned before another one's message was
        // stored must not send its own on top of it.
        if ((parseStoredTreatment(current.treatment)?.sentAt ?? null) !== (t.conversation.stored?.sentAt ?? null)) continue;
        // Contacts carry no language yet (only staff users do): es-MX, the service language.
        messages.push({ conversationId: row.candidate.id, channelId: row.channelId, campaignId: row.campaignId, folio: row.folio, text: queueTreatmentMessage(t.display) });
        patches.push({ id: row.candidate.id, patch: { ...computedPart(t, now), sentAt, sentDisplay: t.display } });
      }
      if (messages.length === 0) return;
      const stored = await storeSystemMessages(trx, messages);
      result.outbox.push(...(await writeOutbox(trx, stored.notifications)));
      await writeTreatments(trx, patches);
      result.messageIds.push(...stored.messageIds);
      for (const p of patches) result.conversationIds.add(p.id);
    });
  }
  return result;
}

interface TreatmentPatch {
  id: string;
  patch: Record<string, unknown>;
}

/**
 * Merges each patch into conversations.treatment of rows still queued, in statements of
 * WRITE_CHUNK rows. SKIP LOCKED: never wait on a row the router is claiming (it would wait on us
 * in turn), the skipped ones are written at the next refresh. Returns the rows written.
 */
async function writeTreatments(db: Kysely<Database> | Transaction<Database>, patches: readonly TreatmentPatch[]): Promise<number> {
  let written = 0;
  for (let i = 0; i < patches.length; i += WRITE_CHUNK) {
    const chunk = JSON.stringify(patches.slice(i, i + WRITE_CHUNK));
    const result = await sql`
      WITH v AS (SELECT * FROM jsonb_to_recordset(${chunk}::jsonb) AS v(id uuid, patch jsonb)),
           mine AS (SELECT c.id FROM conversations c JOIN v ON v.id = c.id WHERE c.status = 'queued' FOR NO KEY UPDATE OF c SKIP LOCKED)
      UPDATE conversations c SET treatment = coalesce(c.treatment, '{}'::jsonb) || v.patch
        FROM v JOIN mine ON mine.id = v.id
       WHERE c.id = v.id`.execute(db);
    written += Number(result.numAffectedRows ?? 0);
  }
  return written;
}
