import { sql, type Kysely } from 'kysely';
import type { Conversation, Database } from '../db/schema.js';
import { identityKeys } from '../ingest/identity-keys.js';

/**
 * The contact behind a visitor: the owner of the identity `external = visitorId` on the channel
 * (following merges, as ingest does). Only that identity — pre-chat e-mail and phone are what
 * the visitor typed, so they never decide whose conversations a browser may read.
 */
export async function visitorContactId(db: Kysely<Database>, channelId: string, visitorId: string): Promise<string | null> {
  const [key] = identityKeys({ externalId: visitorId }, channelId);
  const { rows } = await sql<{ contact_id: string | null }>`SELECT contact_id FROM identity_owner(${JSON.stringify(key)}::jsonb)`.execute(db);
  return rows[0]?.contact_id ?? null;
}

/** The visitor's most recent conversation on this channel (open or not), or null. */
export async function latestVisitorConversation(db: Kysely<Database>, channelId: string, visitorId: string): Promise<Conversation | null> {
  const contactId = await visitorContactId(db, channelId, visitorId);
  if (!contactId) return null;
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('contact_id', '=', contactId)
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * The visitor ended the chat (POST /widget/v1/end) and has not written since: the widget shows it
 * as ended even while the agent still has to resolve it.
 */
export async function endedByVisitor(db: Kysely<Database>, conversation: Pick<Conversation, 'id' | 'last_inbound_at' | 'opened_at'>): Promise<boolean> {
  const row = await db
    .selectFrom('interaction_events')
    .select('id')
    .where('conversation_id', '=', conversation.id)
    .where('type', '=', 'conversation.contact_ended')
    .where('occurred_at', '>=', conversation.last_inbound_at ?? conversation.opened_at)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Ended for the widget: closed by the hub, or left by the visitor. */
export async function conversationEnded(db: Kysely<Database>, conversation: Conversation): Promise<boolean> {
  return conversation.closed_at !== null || (await endedByVisitor(db, conversation));
}
