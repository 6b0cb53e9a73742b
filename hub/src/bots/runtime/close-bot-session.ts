import { sql, type Transaction } from 'kysely';
import type { Conversation, Database } from '../../db/schema.js';
import { appendEvents, type DomainEvent } from '../../domain/interaction-events.js';
import type { OutboxNotification } from '../../outbox/outbox.js';
import { routedNotification } from '../../router/usecases/router-effects.js';
import { recordOutcome } from './outcomes.js';

export type BotSessionEnd =
  /** The bot answered and the flow resolved (outcome resolved, 100 %). */
  | { outcome: 'resolved' }
  /** The citizen left or went silent (outcome cut_off, 30 %). */
  | { outcome: 'cut_off'; cause: 'contact_left' | 'bot_idle' };

/**
 * Ends the session and, if still open, closes the conversation the way an agent's resolve or an
 * abandonment does (status, closed_at, the same events and `conversation.routed`), without a seat
 * to free: nobody but the bot held it. `conversation` is the row locked by the caller.
 */
export async function closeBotSession(trx: Transaction<Database>, sessionId: string, conversation: Conversation, end: BotSessionEnd): Promise<OutboxNotification[]> {
  await trx.updateTable('bot_sessions').set({ ended_at: sql`clock_timestamp()`, updated_at: sql`clock_timestamp()` }).where('id', '=', sessionId).where('ended_at', 'is', null).execute();
  await recordOutcome(trx, { sessionId, outcome: end.outcome, ...(end.outcome === 'cut_off' ? { reason: end.cause } : {}) });
  if (conversation.closed_at !== null) return [];
  const status = end.outcome === 'resolved' ? 'resolved' : 'abandoned';
  const closed = await trx
    .updateTable('conversations')
    .set({ status, offer_id: null, assignee_id: null, unread_count: 0, closed_at: sql`clock_timestamp()`, updated_at: sql`clock_timestamp()` })
    .where('id', '=', conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const event: DomainEvent =
    end.outcome === 'resolved'
      ? { type: 'conversation.resolved', conversationId: conversation.id, payload: { agentId: null, reason: 'bot_resolved' } }
      : {
          type: 'conversation.abandoned',
          conversationId: conversation.id,
          contactId: conversation.contact_id,
          payload: { cause: end.cause, queueId: null, waitedMs: closed.closed_at!.getTime() - conversation.opened_at.getTime(), statusBefore: conversation.status },
        };
  await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: end.outcome === 'cut_off' && end.cause === 'contact_left' ? 'contact' : 'bot', actorId: null }, [event]);
  return [routedNotification(closed, status)];
}
