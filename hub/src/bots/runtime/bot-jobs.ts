import type { Config } from '../../config/config.js';
import type { LoadedChannel } from '../../channels/channel-store.js';
import type { Database } from '../../db/schema.js';
import type { Kysely } from 'kysely';
import { outboundJobOptions } from '../../queues/outbound-jobs.js';
import { botJobId, type HubQueues } from '../../queues/queues.js';

/** Between the replies of one turn: sends run in parallel, and a citizen must read them in order. */
const REPLY_SPACING_MS = 400;

/** Channel settings `{"bot":{"enabled":true}}` (the trigger conversations_bot_first reads the same key). */
export function channelHasBot(channel: Pick<LoadedChannel, 'row'>): boolean {
  const bot: unknown = channel.row.settings['bot'];
  return bot !== null && typeof bot === 'object' && 'enabled' in bot && bot.enabled === true;
}

/**
 * After the ingest stored a message: a turn for the bot if the bot holds the conversation. One
 * indexed read, only on channels with the bot on. A duplicate (a replayed webhook, or the ingest
 * job retried after this enqueue failed) is looked up and enqueued again: the job id and the
 * one-turn-per-message index make that add nothing when the turn already exists.
 */
export async function enqueueBotTurnIfBot(
  ctx: { db: { kysely: Kysely<Database> }; queues: Pick<HubQueues, 'bot'> },
  channel: Pick<LoadedChannel, 'row'>,
  ingested: { messageId: string; conversationId?: string },
): Promise<boolean> {
  if (!channelHasBot(channel)) return false;
  const db = ctx.db.kysely;
  const conversation = ingested.conversationId
    ? await db.selectFrom('conversations').select(['id', 'status']).where('id', '=', ingested.conversationId).executeTakeFirst()
    : await db
        .selectFrom('messages as m')
        .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
        .select(['c.id', 'c.status'])
        .where('m.id', '=', ingested.messageId)
        .executeTakeFirst();
  if (conversation?.status !== 'bot') return false;
  await ctx.queues.bot.add('turn', { conversationId: conversation.id, messageId: ingested.messageId }, { jobId: botJobId(ingested.messageId) });
  return true;
}

/** The bot's replies of one turn, sent in the order it said them. */
export async function enqueueBotReplies(ctx: { config: Pick<Config, 'OUTBOUND_MAX_ATTEMPTS' | 'OUTBOUND_BACKOFF_MS'>; queues: Pick<HubQueues, 'outbound'> }, messageIds: readonly string[]): Promise<void> {
  for (const [index, messageId] of messageIds.entries()) {
    await ctx.queues.outbound.add('send', { messageId }, { ...outboundJobOptions(ctx, messageId), ...(index > 0 ? { delay: index * REPLY_SPACING_MS } : {}) });
  }
}
