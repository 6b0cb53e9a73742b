import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import { defaultQueueFor, intakeNewConversations } from '../../../hub/src/router/usecases/intake.usecase.js';
import { channelClassOf, loadCampaignRouting, loadRoutingQueues, seatTypeOfTier } from '../../../hub/src/router/store/routing-settings.js';

/**
 * Intake of new conversations (the first step of every routing pass, under the router lock):
 * the hub's intakeNewConversations against a raw set-based baseline making the same writes for
 * the common case (open hours, no sticky agent) — the conversations' routing columns in one
 * UPDATE and their conversation.queued events in one INSERT, after the same SELECT … FOR UPDATE
 * SKIP LOCKED and sticky-agent lookup. Both run on the same `count` conversations, made new again
 * (queue_id NULL) inside a transaction that is rolled back.
 */
export interface IntakeComparison {
  conversations: number;
  hubMs: number[];
  setBasedMs: number[];
}

class Rollback extends Error {}

export async function compareIntake(db: Kysely<Database>, count: number, repeats = 3): Promise<IntakeComparison> {
  const result: IntakeComparison = { conversations: 0, hubMs: [], setBasedMs: [] };
  for (let r = 0; r < repeats; r++) {
    for (const variant of ['hub', 'setBased'] as const) {
      await db
        .transaction()
        .execute(async (trx) => {
          await sql`
            UPDATE conversations SET queue_id = NULL, channel_class = NULL, enqueued_at = NULL, queue_entered_at = NULL, seat_type = NULL
             WHERE id IN (SELECT id FROM conversations WHERE status = 'queued' ORDER BY id LIMIT ${count})`.execute(trx);
          const queues = await loadRoutingQueues(trx);
          const routing = await loadCampaignRouting(
            trx,
            [...queues.values()].map((q) => q.campaignId),
          );
          const now = Date.now();
          const t = performance.now();
          if (variant === 'hub') {
            const intake = await intakeNewConversations(trx, { queues, routing }, now);
            result.conversations = intake.queued;
            result.hubMs.push(performance.now() - t);
          } else {
            const rows = await trx
              .selectFrom('conversations as c')
              .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
              .select(['c.id', 'c.campaign_id', 'c.contact_id', 'ch.kind', 'ch.settings'])
              .where('c.status', '=', 'queued')
              .where('c.queue_id', 'is', null)
              .where('c.closed_at', 'is', null)
              .orderBy('c.opened_at')
              .limit(5000)
              .forUpdate('c')
              .skipLocked()
              .execute();
            await sql`
              SELECT DISTINCT ON (contact_id) contact_id, assignee_id, closed_at FROM conversations
               WHERE contact_id = ANY(${rows.map((x) => x.contact_id)}::uuid[]) AND assignee_id IS NOT NULL AND status = 'resolved'
                 AND closed_at > clock_timestamp() - interval '24 hours'
               ORDER BY contact_id, closed_at DESC`.execute(trx);
            const v = rows.flatMap((row) => {
              const queue = defaultQueueFor(queues, row.campaign_id, row.settings['queueId']);
              return queue ? [{ id: row.id, campaignId: row.campaign_id, contactId: row.contact_id, queueId: queue.id, cls: channelClassOf(row.kind), priority: queue.config.priority, seat: seatTypeOfTier(queue.tier) }] : [];
            });
            const ids = v.map((x) => x.id);
            const queueIds = v.map((x) => x.queueId);
            const classes = v.map((x) => x.cls);
            const priorities = v.map((x) => x.priority);
            const seats = v.map((x) => x.seat);
            await sql`
              UPDATE conversations c
                 SET queue_id = v.queue_id, channel_class = v.cls, priority = v.priority, enqueued_at = c.opened_at, queue_entered_at = ${new Date(now)},
                     seat_type = v.seat, preferred_agent_id = NULL, after_hours = false, updated_at = clock_timestamp()
                FROM unnest(${ids}::uuid[], ${queueIds}::uuid[], ${classes}::text[], ${priorities}::smallint[], ${seats}::text[]) AS v(id, queue_id, cls, priority, seat)
               WHERE c.id = v.id`.execute(trx);
            await sql`
              INSERT INTO interaction_events (type, campaign_id, conversation_id, contact_id, actor_type, actor_id, payload)
              SELECT 'conversation.queued', v.campaign_id, v.id, v.contact_id, 'system', 'router',
                     jsonb_build_object('queueId', v.queue_id, 'channelClass', v.cls, 'priority', v.priority, 'seatType', v.seat, 'afterHours', false, 'preferredAgentId', NULL)
                FROM unnest(${ids}::uuid[], ${v.map((x) => x.campaignId)}::uuid[], ${v.map((x) => x.contactId)}::uuid[], ${queueIds}::uuid[], ${classes}::text[],
                            ${priorities}::smallint[], ${seats}::text[]) AS v(id, campaign_id, contact_id, queue_id, cls, priority, seat)`.execute(trx);
            result.setBasedMs.push(performance.now() - t);
          }
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
    }
  }
  return result;
}
