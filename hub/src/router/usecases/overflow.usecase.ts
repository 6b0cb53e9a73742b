import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { appendEvents, type DomainEvent } from '../../domain/interaction-events.js';
import { writeOutbox } from '../../outbox/outbox.js';
import { settleOverflow, type OverflowPosition } from '../config/overflow.js';
import type { QueueConfig } from '../config/queue-config.schema.js';
import type { RouterTimer } from '../service/router-timer.types.js';
import { loadRoutingQueues, seatTypeOfTier } from '../store/routing-settings.js';
import { queueTimers } from './intake.usecase.js';
import { noEffects, routedNotification, type RouterEffects } from './router-effects.js';

/**
 * Applies every overflow step due for a waiting conversation (issue 3 item 1): relax the
 * required levels, or move it to another queue of its campaign, where that queue's own steps
 * start afresh. Called by the overflow timer, and with estimates by the queue-treatment refresh.
 * Re-reads everything, so a late, repeated or stale timer does only what is due now.
 */
export async function applyDueOverflow(
  db: Kysely<Database>,
  conversationId: string,
  now: number,
  estimatedWaitMs: (queueId: string) => number | null = () => null,
): Promise<RouterEffects> {
  return db.transaction().execute(async (trx) => {
    const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
    if (!conversation || conversation.status !== 'queued' || conversation.queue_id === null || conversation.closed_at !== null) return noEffects();
    const queues = await loadRoutingQueues(trx, [conversation.campaign_id]);
    const configs = new Map<string, Pick<QueueConfig, 'overflow'>>([...queues.values()].map((q) => [q.id, q.config]));
    const start: OverflowPosition = {
      queueId: conversation.queue_id,
      relaxedLevels: conversation.relaxed_levels,
      stepsApplied: conversation.overflow_steps,
      enqueuedAt: (conversation.queue_entered_at ?? conversation.opened_at).getTime(),
      visitedQueueIds: conversation.visited_queue_ids,
    };
    const settled = settleOverflow(configs, start, now, estimatedWaitMs);
    const timers: RouterTimer[] = [];
    if (settled.next.kind === 'scheduled') {
      timers.push({ kind: 'overflow', conversationId, queueId: settled.position.queueId, step: settled.next.stepIndex, at: settled.next.dueAt });
    }
    if (settled.applied.length === 0) return { ...noEffects(), timers };

    const target = queues.get(settled.position.queueId);
    const moved = settled.position.queueId !== conversation.queue_id;
    const updated = await trx
      .updateTable('conversations')
      .set({
        queue_id: settled.position.queueId,
        relaxed_levels: settled.position.relaxedLevels,
        overflow_steps: settled.position.stepsApplied,
        queue_entered_at: new Date(settled.position.enqueuedAt),
        visited_queue_ids: [...settled.position.visitedQueueIds],
        ...(moved && target ? { priority: target.config.priority, seat_type: seatTypeOfTier(target.tier), excluded_agent_ids: [] } : {}),
        updated_at: sql`clock_timestamp()`,
      })
      .where('id', '=', conversationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const events: DomainEvent[] = settled.applied.map((step, i) => ({
      type: 'conversation.overflowed',
      conversationId,
      payload: {
        fromQueueId: i === 0 ? start.queueId : (settled.applied[i - 1]?.position.queueId ?? start.queueId),
        toQueueId: step.position.queueId,
        stepIndex: step.stepIndex,
        outcome: step.outcome,
        relaxedLevels: step.position.relaxedLevels,
      },
    }));
    await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'system', actorId: 'router' }, events);
    if (moved && target) {
      // The new queue's maximum wait; its first overflow step is already in `timers` above.
      timers.push(...queueTimers(conversationId, target, settled.position.enqueuedAt, settled.position.stepsApplied).filter((t) => t.kind === 'max_wait'));
    }
    const outbox = await writeOutbox(trx, [routedNotification(updated, 'overflowed')]);
    return { outbox, timers, messageIds: [], reroute: true };
  });
}
