import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';

/**
 * The raw baseline of the storm: the same writes router_claim makes for `count` conversations —
 * seat load counters, conversations to 'offered', offers, conversation.offered events and outbox
 * rows — as one set-based statement per table, with no routing decision (conversation k goes to
 * seat k mod seats), no conditions and no decision list sent from the client. Run in a
 * transaction that is rolled back, so the storm then starts from the same data.
 */
export interface BaselineResult {
  rows: number;
  totalMs: number;
  statementsMs: Record<string, number>;
}

class Rollback extends Error {}

export async function runRawBaseline(db: Kysely<Database>, count: number): Promise<BaselineResult> {
  const statementsMs: Record<string, number> = {};
  let rows = 0;
  let totalMs = 0;
  const timed = async (name: string, run: () => Promise<{ numAffectedRows?: bigint }>) => {
    const t = performance.now();
    const result = await run();
    statementsMs[name] = performance.now() - t;
    return Number(result.numAffectedRows ?? 0n);
  };
  try {
    await db.transaction().execute(async (trx) => {
      const t0 = performance.now();
      await timed('pick rows (temp table)', () =>
        sql`
          CREATE TEMP TABLE baseline_d ON COMMIT DROP AS
          WITH w AS (
            SELECT c.id, c.queue_id, row_number() OVER (ORDER BY c.priority, c.enqueued_at) - 1 AS r
              FROM conversations c
             WHERE c.status = 'queued' AND c.queue_id IS NOT NULL AND c.closed_at IS NULL
             ORDER BY c.priority, c.enqueued_at LIMIT ${count}
          ), a AS (SELECT user_id, row_number() OVER (ORDER BY user_id) - 1 AS r FROM agent_seats)
          SELECT w.id AS conversation_id, w.queue_id, a.user_id AS agent_id, gen_random_uuid() AS offer_id
            FROM w JOIN a ON a.r = w.r % (SELECT count(*) FROM agent_seats)`.execute(trx),
      );
      const picked = await sql<{ n: string }>`SELECT count(*) AS n FROM baseline_d`.execute(trx);
      rows = Number(picked.rows[0]?.n ?? 0);
      await timed('UPDATE agent_seats (load)', () =>
        sql`
          UPDATE agent_seats s SET load_text = s.load_text + p.n, updated_at = clock_timestamp()
            FROM (SELECT agent_id, count(*) AS n FROM baseline_d GROUP BY agent_id) p
           WHERE s.user_id = p.agent_id`.execute(trx),
      );
      await timed('UPDATE conversations', () =>
        sql`
          UPDATE conversations c SET status = 'offered', assignee_id = d.agent_id, offer_id = d.offer_id, updated_at = clock_timestamp()
            FROM baseline_d d WHERE c.id = d.conversation_id`.execute(trx),
      );
      await timed('INSERT offers', () =>
        sql`
          INSERT INTO offers (id, conversation_id, agent_id, campaign_id, queue_id, channel_class, reason, status, expires_at)
          SELECT d.offer_id, d.conversation_id, d.agent_id, c.campaign_id, d.queue_id, 'text', 'baseline', 'pending', now() + interval '20 seconds'
            FROM baseline_d d JOIN conversations c ON c.id = d.conversation_id`.execute(trx),
      );
      await timed('INSERT interaction_events', () =>
        sql`
          INSERT INTO interaction_events (type, campaign_id, conversation_id, contact_id, actor_type, actor_id, payload)
          SELECT 'conversation.offered', c.campaign_id, c.id, c.contact_id, 'system', 'router',
                 jsonb_build_object('offerId', d.offer_id, 'agentId', d.agent_id, 'queueId', d.queue_id, 'channelClass', 'text')
            FROM baseline_d d JOIN conversations c ON c.id = d.conversation_id`.execute(trx),
      );
      await timed('INSERT outbox', () =>
        sql`
          INSERT INTO outbox (topic, payload)
          SELECT 'realtime.conversation.offered',
                 jsonb_build_object('event', 'conversation.offered', 'rooms', jsonb_build_array('agent:' || d.agent_id, 'campaign:' || c.campaign_id),
                   'data', jsonb_build_object('campaignId', c.campaign_id, 'conversationId', c.id, 'folio', c.folio, 'offerId', d.offer_id, 'agentId', d.agent_id))
            FROM baseline_d d JOIN conversations c ON c.id = d.conversation_id`.execute(trx),
      );
      totalMs = performance.now() - t0;
      throw new Rollback('baseline rolled back');
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return { rows, totalMs, statementsMs };
}
