import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { appendEventRows, type DomainEvent, type EventContext } from '../../domain/interaction-events.js';
import { storeSystemMessages, type SystemMessage } from '../../outbound/system-message.js';
import type { OutboxNotification } from '../../outbox/outbox.js';
import { isOpenAt } from '../calendar/business-hours.js';
import type { CampaignRouting } from '../config/campaign-routing.schema.js';
import { nextOverflowStep } from '../config/overflow.js';
import type { RouterTimer } from '../service/router-timer.types.js';
import { channelClassOf, seatTypeOfTier, type RoutingQueueRow } from '../store/routing-settings.js';

/**
 * Puts new conversations in line (issue 3 items 1 and 8): conversations the ingest opened as
 * `queued` without a queue get the channel's queue (channel settings `queueId`), else the
 * campaign's default queue, else its most urgent queue; their channel class; the contact's
 * previous agent when sticky routing applies; and, outside business hours, the queue's
 * after-hours treatment (message and keep queued, offer voicemail or callback, or close).
 */

export interface IntakeResult {
  queued: number;
  closed: number;
  timers: RouterTimer[];
  messageIds: string[];
  notifications: OutboxNotification[];
}

export interface IntakeSettings {
  queues: ReadonlyMap<string, RoutingQueueRow>;
  routing: ReadonlyMap<string, CampaignRouting>;
}

interface QueuedRow {
  id: string;
  queueId: string;
  channelClass: string;
  priority: number;
  seatType: string;
  preferred: string | null;
  afterHours: boolean;
}

export function defaultQueueFor(queues: ReadonlyMap<string, RoutingQueueRow>, campaignId: string, channelQueueId: unknown): RoutingQueueRow | undefined {
  if (typeof channelQueueId === 'string') {
    const named = queues.get(channelQueueId);
    if (named && named.campaignId === campaignId) return named;
  }
  const own = [...queues.values()].filter((q) => q.campaignId === campaignId && q.tier === 1);
  return own.find((q) => q.isDefault) ?? own.sort((a, b) => a.config.priority - b.config.priority || a.id.localeCompare(b.id))[0];
}

export async function intakeNewConversations(trx: Transaction<Database>, settings: IntakeSettings, now: number, limit = 5000): Promise<IntakeResult> {
  const result: IntakeResult = { queued: 0, closed: 0, timers: [], messageIds: [], notifications: [] };
  // Only campaigns with a queue: the others' conversations wait for one (or for a bot) untouched.
  const routable = [...new Set([...settings.queues.values()].map((q) => q.campaignId))];
  if (routable.length === 0) return result;
  const rows = await trx
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
    .select(['c.id', 'c.folio', 'c.campaign_id', 'c.channel_id', 'c.contact_id', 'c.opened_at', 'ch.kind', 'ch.settings'])
    .where('c.status', '=', 'queued')
    .where('c.queue_id', 'is', null)
    .where('c.closed_at', 'is', null)
    .where('c.campaign_id', 'in', routable)
    .orderBy('c.opened_at')
    .limit(limit)
    .forUpdate('c')
    .skipLocked()
    .execute();
  if (rows.length === 0) return result;

  const sticky = await previousAgents(
    trx,
    rows.map((r) => r.contact_id),
    Math.max(0, ...[...settings.routing.values()].map((r) => r.stickyHours)),
  );
  const nowDate = new Date(now);
  const messages: SystemMessage[] = [];
  const events: { context: EventContext; event: DomainEvent }[] = [];
  const queued: QueuedRow[] = [];
  const closed: { id: string; queueId: string; channelClass: string; seatType: string }[] = [];
  for (const row of rows) {
    const routing = settings.routing.get(row.campaign_id);
    const queue = defaultQueueFor(settings.queues, row.campaign_id, row.settings['queueId']);
    if (!routing || !queue) continue; // a campaign without queues: nothing to route to yet
    const context: EventContext = { campaignId: row.campaign_id, actorType: 'system', actorId: 'router' };
    const channelClass = channelClassOf(row.kind);
    const open = isOpenAt(routing.schedule, routing.holidays, nowDate);
    const previous = sticky.get(row.contact_id);
    const preferred = previous !== undefined && routing.stickyHours > 0 && now - previous.closedAt <= routing.stickyHours * 3_600_000 ? previous.agentId : null;
    const seatType = seatTypeOfTier(queue.tier);
    const afterHours = open ? null : queue.config.afterHours;
    if (afterHours) events.push({ context, event: { type: 'conversation.after_hours', conversationId: row.id, payload: { queueId: queue.id, mode: afterHours.mode } } });
    if (afterHours?.mode === 'close') {
      closed.push({ id: row.id, queueId: queue.id, channelClass, seatType });
      events.push({ context, event: { type: 'conversation.resolved', conversationId: row.id, payload: { agentId: null, reason: 'after_hours' } } });
    } else {
      queued.push({ id: row.id, queueId: queue.id, channelClass, priority: queue.config.priority, seatType, preferred, afterHours: afterHours !== null });
      events.push({
        context,
        event: {
          type: 'conversation.queued',
          conversationId: row.id,
          contactId: row.contact_id,
          payload: { queueId: queue.id, channelClass, priority: queue.config.priority, seatType, afterHours: afterHours !== null, preferredAgentId: preferred },
        },
      });
      result.timers.push(...queueTimers(row.id, queue, now, 0));
    }
    if (afterHours) messages.push({ conversationId: row.id, channelId: row.channel_id, campaignId: row.campaign_id, folio: row.folio, text: afterHours.message.es });
  }
  // Set-based: one statement for the line, one for the closed, one for the events (a row at a
  // time cost ~0.5 ms per conversation under the router lock; bench/reports/router-db-latest.md).
  if (queued.length > 0) {
    await sql`
      UPDATE conversations c
         SET queue_id = v.queue_id, channel_class = v.channel_class, priority = v.priority, enqueued_at = c.opened_at,
             queue_entered_at = ${nowDate}, seat_type = v.seat_type, preferred_agent_id = v.preferred, after_hours = v.after_hours,
             updated_at = clock_timestamp()
        FROM unnest(${queued.map((q) => q.id)}::uuid[], ${queued.map((q) => q.queueId)}::uuid[], ${queued.map((q) => q.channelClass)}::text[],
                    ${queued.map((q) => q.priority)}::smallint[], ${queued.map((q) => q.seatType)}::text[], ${queued.map((q) => q.preferred)}::uuid[],
                    ${queued.map((q) => q.afterHours)}::boolean[])
             AS v(id, queue_id, channel_class, priority, seat_type, preferred, after_hours)
       WHERE c.id = v.id`.execute(trx);
  }
  if (closed.length > 0) {
    await sql`
      UPDATE conversations c
         SET status = 'resolved', queue_id = v.queue_id, channel_class = v.channel_class, seat_type = v.seat_type, after_hours = true,
             closed_at = clock_timestamp(), updated_at = clock_timestamp()
        FROM unnest(${closed.map((q) => q.id)}::uuid[], ${closed.map((q) => q.queueId)}::uuid[], ${closed.map((q) => q.channelClass)}::text[],
                    ${closed.map((q) => q.seatType)}::text[]) AS v(id, queue_id, channel_class, seat_type)
       WHERE c.id = v.id`.execute(trx);
  }
  await appendEventRows(trx, events);
  result.queued = queued.length;
  result.closed = closed.length;
  const stored = await storeSystemMessages(trx, messages);
  result.messageIds.push(...stored.messageIds);
  result.notifications.push(...stored.notifications);
  return result;
}

/** The timers a conversation needs on entering `queue`: next time-based overflow step and maximum wait. */
export function queueTimers(conversationId: string, queue: RoutingQueueRow, queueEnteredAt: number, stepsApplied: number): RouterTimer[] {
  const timers: RouterTimer[] = [];
  const next = nextOverflowStep(queue.config, { enqueuedAt: queueEnteredAt, stepsApplied, now: queueEnteredAt, estimatedWaitMs: null });
  if (next.kind === 'scheduled') timers.push({ kind: 'overflow', conversationId, queueId: queue.id, step: next.stepIndex, at: next.dueAt });
  if (next.kind === 'due') timers.push({ kind: 'overflow', conversationId, queueId: queue.id, step: next.stepIndex, at: queueEnteredAt });
  if (queue.config.maxWaitSeconds !== undefined) {
    timers.push({ kind: 'max_wait', conversationId, queueId: queue.id, at: queueEnteredAt + queue.config.maxWaitSeconds * 1000 });
  }
  return timers;
}

/** The agent who last served each contact, and when that conversation closed. */
async function previousAgents(trx: Transaction<Database>, contactIds: string[], maxHours: number): Promise<Map<string, { agentId: string; closedAt: number }>> {
  if (maxHours <= 0 || contactIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('conversations')
    .distinctOn('contact_id')
    .select(['contact_id', 'assignee_id', 'closed_at'])
    .where('contact_id', 'in', [...new Set(contactIds)])
    .where('assignee_id', 'is not', null)
    .where('closed_at', '>', sql<Date>`clock_timestamp() - make_interval(hours => ${maxHours})`)
    .where('status', '=', 'resolved')
    .orderBy('contact_id')
    .orderBy('closed_at', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.contact_id, { agentId: r.assignee_id as string, closedAt: (r.closed_at as Date).getTime() }]));
}
