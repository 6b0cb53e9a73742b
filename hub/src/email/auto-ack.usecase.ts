import { sql } from 'kysely';
import { renderEmailTemplate, type InboundMessageEvent } from '@ventanilla/connectors';
import type { LoadedChannel } from '../channels/channel-store.js';
import type { IngestResult } from '../ingest/ingest-message.usecase.js';
import { writeOutbox } from '../outbox/outbox.js';
import { storeSystemMessages } from '../outbound/system-message.js';
import { enqueueOutbound } from '../queues/outbound-jobs.js';
import type { HubContext } from '../runtime/context.js';
import { asEmailChannel } from './email-channel.js';

export type AutoAckOutcome = 'queued' | 'not_wanted' | 'already_sent';

/** messages.meta of the acknowledgement: how a retried job finds the one already stored. */
const AUTO_ACK_MARKER = { autoAck: true } as const;

/**
 * The acknowledgement with the folio (issue 5 item 9) for a mail that opened a new conversation
 * on an e-mail channel whose template is enabled. Never for automated mail (auto-replies,
 * bounces, bulk and list mail — classifyAutomated) nor for a reply into an existing or reopened
 * conversation; the adapter marks it `Auto-Submitted: auto-replied`, so responders do not loop.
 * At most one per conversation. Errors are logged, not thrown: the message is already stored.
 */
export async function autoAcknowledge(
  ctx: HubContext,
  channel: LoadedChannel,
  event: InboundMessageEvent,
  result: Extract<IngestResult, { outcome: 'stored' }>,
): Promise<AutoAckOutcome> {
  if (channel.kind !== 'email' || !result.newConversation || result.reopened) return 'not_wanted';
  if (!event.email || event.email.automated || !event.contact.email) return 'not_wanted';
  const email = asEmailChannel(channel);
  if (!email?.settings.autoAck.enabled) return 'not_wanted';
  const vars = { folio: result.folio, name: event.contact.name ?? '', subject: event.email.subject.replace(/^\s*((re|rv|fw|fwd)\s*:\s*)+/i, '').trim() || 'Su mensaje' };
  const text = renderEmailTemplate(email.settings.autoAck.text, vars);
  // The template's subject rides in meta.subject: deliver-message sends it (still threaded by the headers).
  const subject = renderEmailTemplate(email.settings.autoAck.subject, vars);
  try {
    const stored = await ctx.db.kysely.transaction().execute(async (trx) => {
      const conversation = await trx
        .selectFrom('conversations')
        .select(['id', 'campaign_id', 'channel_id', 'folio'])
        .where('id', '=', result.conversationId)
        .forUpdate()
        .executeTakeFirst();
      if (!conversation) return null;
      const sent = await trx
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', conversation.id)
        .where(sql<boolean>`(meta->>'autoAck')::boolean IS TRUE`)
        .executeTakeFirst();
      if (sent) return null;
      const { messageIds, notifications } = await storeSystemMessages(trx, [
        { conversationId: conversation.id, channelId: conversation.channel_id, campaignId: conversation.campaign_id, folio: conversation.folio, text },
      ]);
      await trx.updateTable('messages').set({ meta: JSON.stringify({ ...AUTO_ACK_MARKER, subject }) }).where('id', 'in', messageIds).execute();
      return { messageIds, outbox: await writeOutbox(trx, notifications) };
    });
    if (!stored) return 'already_sent';
    ctx.relay.publishCommitted(stored.outbox);
    for (const id of stored.messageIds) {
      // Stored as pending: the outbound sweep enqueues it if Redis refuses now.
      await enqueueOutbound(ctx, id).catch((error: unknown) => ctx.logger.warn({ err: error, messageId: id }, 'acknowledgement stored but not enqueued yet'));
    }
    return 'queued';
  } catch (error) {
    ctx.logger.error({ err: error, conversationId: result.conversationId, folio: result.folio }, 'could not store the e-mail acknowledgement');
    return 'not_wanted';
  }
}
