import { sql, type Kysely, type Transaction } from 'kysely';
import type { InboundContent, InboundMessageEvent } from '@ventanilla/connectors/core';
import type { LoadedChannel } from '../channels/channel-store.js';
import { toConversationSummary, toMessageView } from '../conversations/conversation-views.js';
import type { Attachment, ContentType, Conversation, Database } from '../db/schema.js';
import { appendEvents, type DomainEvent } from '../domain/interaction-events.js';
import { writeOutbox, type OutboxNotification, type OutboxRow } from '../outbox/outbox.js';
import { rooms } from '../realtime/events.contract.js';
import { resolveContact } from './resolve-contact.js';

export type IngestResult =
  | { outcome: 'stored'; conversationId: string; folio: string; messageId: string; newConversation: boolean; outbox: OutboxRow[] }
  | { outcome: 'duplicate'; messageId: string };

class DuplicateMessage extends Error {
  constructor(readonly messageId: string) {
    super('duplicate provider message');
  }
}

/**
 * One inbound message, one transaction (issue 2, item 7): contact + identity, the open
 * conversation or a new one with a folio, the message (deduplicated on the provider id),
 * interaction events and the outbox. Either all of it is stored or none of it.
 */
export async function ingestMessage(db: Kysely<Database>, channel: LoadedChannel, event: InboundMessageEvent): Promise<IngestResult> {
  try {
    return await db.transaction().execute((trx) => ingestInTransaction(trx, channel, event));
  } catch (error) {
    if (error instanceof DuplicateMessage) return { outcome: 'duplicate', messageId: error.messageId };
    throw error;
  }
}

async function ingestInTransaction(trx: Transaction<Database>, channel: LoadedChannel, event: InboundMessageEvent): Promise<IngestResult> {
  const channelId = channel.row.id;
  const campaignId = channel.row.campaign_id;
  const existing = await trx
    .selectFrom('messages')
    .select('id')
    .where('channel_id', '=', channelId)
    .where('provider_message_id', '=', event.providerMessageId)
    .executeTakeFirst();
  if (existing) return { outcome: 'duplicate', messageId: existing.id };

  const contact = await resolveContact(trx, event.contact, channelId);
  const { conversation, created } = await openConversation(trx, channel, contact.contactId);
  const content = toStoredContent(event.content);

  const message = await trx
    .insertInto('messages')
    .values({
      conversation_id: conversation.id,
      channel_id: channelId,
      direction: 'inbound',
      sender_type: 'contact',
      sender_id: null,
      content_type: content.contentType,
      text: content.text,
      attachments: JSON.stringify(content.attachments),
      raw: content.raw === undefined ? null : JSON.stringify(content.raw),
      provider_message_id: event.providerMessageId,
      status: 'received',
    })
    .onConflict((oc) => oc.constraint('messages_provider_id_unique').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!message) {
    // A concurrent job stored it between our check and insert: undo everything we did.
    throw new DuplicateMessage(event.providerMessageId);
  }

  const updated = await trx
    .updateTable('conversations')
    .set({
      last_message_at: sql`greatest(last_message_at, ${message.created_at})`,
      last_inbound_at: message.created_at,
      unread_count: sql`unread_count + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();

  const events: DomainEvent[] = [];
  if (contact.created) events.push({ type: 'contact.created', contactId: contact.contactId, conversationId: conversation.id, payload: { channelId } });
  if (created) {
    events.push({
      type: 'conversation.opened',
      conversationId: conversation.id,
      contactId: contact.contactId,
      payload: { folio: conversation.folio, channelId, channelKind: channel.kind },
    });
  }
  events.push({
    type: 'message.received',
    conversationId: conversation.id,
    contactId: contact.contactId,
    messageId: message.id,
    payload: { contentType: message.content_type, providerMessageId: event.providerMessageId, providerTimestamp: event.occurredAt },
  });
  await appendEvents(trx, { campaignId, actorType: 'contact', actorId: contact.contactId }, events);

  const targetRooms = [rooms.campaign(campaignId), rooms.conversation(conversation.id)];
  const notifications: OutboxNotification[] = [];
  const summary = toConversationSummary(updated, { channelKind: channel.kind, contactName: contact.displayName });
  if (created) notifications.push({ event: 'conversation.opened', rooms: targetRooms, data: { campaignId, conversation: summary } });
  notifications.push({
    event: 'message.created',
    rooms: targetRooms,
    data: { campaignId, conversationId: conversation.id, folio: conversation.folio, message: toMessageView(message) },
  });
  const outbox = await writeOutbox(trx, notifications);

  return { outcome: 'stored', conversationId: conversation.id, folio: conversation.folio, messageId: message.id, newConversation: created, outbox };
}

/** The open conversation of this contact on this channel, or a new one with a fresh folio. */
async function openConversation(trx: Transaction<Database>, channel: LoadedChannel, contactId: string): Promise<{ conversation: Conversation; created: boolean }> {
  const findOpen = () =>
    trx
      .selectFrom('conversations')
      .selectAll()
      .where('channel_id', '=', channel.row.id)
      .where('contact_id', '=', contactId)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
  const open = await findOpen();
  if (open) return { conversation: open, created: false };
  const inserted = await sql<Conversation>`
    INSERT INTO conversations (folio, campaign_id, channel_id, contact_id, status)
    VALUES (next_folio(${channel.row.campaign_id}), ${channel.row.campaign_id}, ${channel.row.id}, ${contactId}, 'queued')
    ON CONFLICT (channel_id, contact_id) WHERE closed_at IS NULL DO NOTHING
    RETURNING *`.execute(trx);
  const row = inserted.rows[0];
  if (row) return { conversation: row, created: true };
  // Another transaction opened it first (same citizen, two messages at once): join it.
  const winner = await findOpen();
  if (!winner) throw new Error('open conversation vanished during ingest');
  return { conversation: winner, created: false };
}

interface StoredContent {
  contentType: ContentType;
  text: string | null;
  attachments: Attachment[];
  raw?: unknown;
}

function toStoredContent(content: InboundContent): StoredContent {
  switch (content.type) {
    case 'text':
      return { contentType: 'text', text: content.text, attachments: [] };
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      return { contentType: content.type, text: content.text ?? null, attachments: content.attachments };
    case 'location':
      return {
        contentType: 'location',
        text: content.name ?? `${content.latitude},${content.longitude}`,
        attachments: [],
        raw: { latitude: content.latitude, longitude: content.longitude, name: content.name },
      };
    case 'unsupported':
      return { contentType: 'unsupported', text: null, attachments: [], raw: { providerType: content.providerType, payload: content.raw } };
    default: {
      const exhaustive: never = content;
      throw new Error(`unhandled content ${JSON.stringify(exhaustive)}`);
    }
  }
}
