import { sql, type Transaction } from 'kysely';
import type { HandoffSummary } from '@ventanilla/bots';
import type { Conversation, Database } from '../../db/schema.js';
import { appendEvents, type DomainEvent } from '../../domain/interaction-events.js';
import type { OutboxNotification } from '../../outbox/outbox.js';
import { queueTimers } from '../../router/usecases/intake.usecase.js';
import { routedNotification } from '../../router/usecases/router-effects.js';
import type { RouterTimer } from '../../router/service/router-timer.types.js';
import { channelClassOf, seatTypeOfTier } from '../../router/store/routing-settings.js';
import { addBotNote } from './bot-note.js';
import { handoffQueue } from './handoff-queue.js';
import { recordOutcome } from './outcomes.js';

export interface HandoffInput {
  sessionId: string;
  modelId: string;
  /** The conversation row, locked by the caller. */
  conversation: Conversation;
  channelKind: string;
  queueId?: string;
  skills?: string[];
  summary: HandoffSummary;
}

/**
 * The bot gives the conversation to a person: the summary on the session and as the bot's note on
 * the timeline, the outcome `handed_off` (30 %), and the conversation back in line. A queue the
 * step names (or whose skills it asks for) takes it at once; otherwise it waits for the router's
 * intake like a new conversation (the channel's queue, business hours). The caller kicks the router.
 */
export async function handOff(trx: Transaction<Database>, input: HandoffInput): Promise<{ notifications: OutboxNotification[]; timers: RouterTimer[] }> {
  const { conversation, summary } = input;
  await trx
    .updateTable('bot_sessions')
    .set({ summary: JSON.stringify(summary), ended_at: sql`clock_timestamp()`, updated_at: sql`clock_timestamp()` })
    .where('id', '=', input.sessionId)
    .execute();
  const note = await addBotNote(trx, conversation, summary.text);
  await recordOutcome(trx, { sessionId: input.sessionId, outcome: 'handed_off', reason: summary.reason });
  const queue = await handoffQueue(trx, conversation.campaign_id, { ...(input.queueId ? { queueId: input.queueId } : {}), ...(input.skills ? { skills: input.skills } : {}) });
  const now = new Date();
  const channelClass = channelClassOf(input.channelKind);
  const moved = await trx
    .updateTable('conversations')
    .set(
      queue
        ? {
            status: 'queued',
            queue_id: queue.id,
            priority: queue.config.priority,
            seat_type: seatTypeOfTier(queue.tier),
            channel_class: channelClass,
            // The wait for a person starts now: the time with the bot was service, not queueing.
            enqueued_at: now,
            queue_entered_at: now,
            unread_count: 0,
            updated_at: sql`clock_timestamp()`,
          }
        : { status: 'queued', queue_id: null, unread_count: 0, updated_at: sql`clock_timestamp()` },
    )
    .where('id', '=', conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const events: DomainEvent[] = [
    {
      type: 'bot.handed_off',
      conversationId: conversation.id,
      payload: {
        sessionId: input.sessionId,
        modelId: input.modelId,
        noteId: note.noteId,
        reason: summary.reason,
        intent: summary.intent,
        language: summary.language,
        queueId: queue?.id ?? null,
        skills: input.skills ?? [],
        collectedFields: Object.keys(summary.collected),
      },
    },
  ];
  if (queue) {
    events.push({
      type: 'conversation.queued',
      conversationId: conversation.id,
      contactId: conversation.contact_id,
      payload: { queueId: queue.id, channelClass, priority: queue.config.priority, seatType: seatTypeOfTier(queue.tier), afterHours: false, preferredAgentId: null },
    });
  }
  await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'bot', actorId: null }, events);
  return {
    notifications: [note.notification, routedNotification(moved, 'bot_handoff')],
    timers: queue ? queueTimers(conversation.id, queue, now.getTime(), 0) : [],
  };
}
