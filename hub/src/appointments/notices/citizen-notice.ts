/**
 * Telling a citizen something about their appointment or case (a reminder, a confirmation request,
 * a reviewer's decision, the post-visit survey) on the channel they came from. Being written for
 * issue 11 (reminders part): the conversation case works; opening an outbound conversation on the
 * campaign's SMS / WhatsApp / e-mail channel for a citizen who came from the portal lands next.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import type { OutboxNotification } from '../../outbox/outbox.js';
import { storeSystemMessages } from '../../outbound/system-message.js';

/** Where a notice goes: the origin conversation when there is one, else the citizen's address on a channel kind. */
export interface CitizenAddress {
  readonly campaignId: string;
  readonly conversationId?: string | null;
  readonly contactId?: string | null;
  readonly phone?: string | null;
  readonly email?: string | null;
  /** Which channel kind to open an outbound conversation on when there is no conversation (in this order). */
  readonly preferredKinds?: readonly ('whatsapp' | 'sms' | 'email')[];
}

export interface CitizenNotice {
  /** The conversation the notice was stored in (existing or opened). */
  readonly conversationId: string;
  readonly channelKind: string;
  /** Enqueue these for the outbound worker after commit (deliverMessage). */
  readonly messageIds: readonly string[];
  readonly notifications: readonly OutboxNotification[];
}

/** Stores the notice as a pending system message in the caller's transaction; the caller enqueues after commit. */
export async function noticeCitizen(trx: Transaction<Database>, address: CitizenAddress, text: string): Promise<CitizenNotice> {
  if (!address.conversationId) throw new HubError('HUB_ERR_VALIDATION', 'Sin conversación de origen / no origin conversation');
  const conversation = await trx
    .selectFrom('conversations')
    .innerJoin('channels', 'channels.id', 'conversations.channel_id')
    .select(['conversations.id', 'conversations.channel_id', 'conversations.campaign_id', 'conversations.folio', 'channels.kind'])
    .where('conversations.id', '=', address.conversationId)
    .where('conversations.campaign_id', '=', address.campaignId)
    .executeTakeFirstOrThrow();
  const stored = await storeSystemMessages(trx, [
    { conversationId: conversation.id, channelId: conversation.channel_id, campaignId: conversation.campaign_id, folio: conversation.folio, text },
  ]);
  return { conversationId: conversation.id, channelKind: conversation.kind, messageIds: stored.messageIds, notifications: stored.notifications };
}
