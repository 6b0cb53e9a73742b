import { sql, type Kysely } from 'kysely';
import type { ContactRef, InboundContactLeftEvent } from '@ventanilla/connectors/core';
import { botContactLeft } from '../bots/runtime/bot-session-end.usecase.js';
import type { LoadedChannel } from '../channels/channel-store.js';
import type { Database } from '../db/schema.js';
import { abandonConversation } from '../router/usecases/session-end.usecase.js';
import type { HubContext } from '../runtime/context.js';
import { identityKeys } from './identity-keys.js';

type LazyLog = () => HubContext['logger'];

/**
 * The contact left before or after an agent answered (issue 3 item 9). Only a conversation
 * still waiting is abandoned — abandonConversation decides, so the waiting statuses live in
 * one place; once an agent has accepted, the conversation stays theirs to resolve and nothing
 * is recorded ('answered'). A contact we never met, or one with nothing open on this channel,
 * is 'ignored': an end event must never create a contact or a conversation.
 *
 * Repeats: the job id (queues.ts inboundJobId) absorbs provider retries while BullMQ keeps the
 * job, and a second run finds the conversation already closed.
 */
export async function contactLeft(ctx: HubContext, channel: LoadedChannel, event: InboundContactLeftEvent, log: LazyLog): Promise<'abandoned' | 'answered' | 'ignored'> {
  const db = ctx.db.kysely;
  const contactId = await findContactId(db, event.contact, channel.row.id);
  const open =
    contactId === null
      ? undefined
      : await db.selectFrom('conversations').select('id').where('channel_id', '=', channel.row.id).where('contact_id', '=', contactId).where('closed_at', 'is', null).executeTakeFirst();
  if (!open) {
    if (ctx.logger.isLevelEnabled('debug')) log().debug({ providerEventId: event.providerEventId, contactId, reason: event.reason }, 'contact left with no open conversation; ignored');
    return 'ignored';
  }
  await ctx.router.apply(await abandonConversation(db, open.id, 'contact_left'));
  // A bot session on it ends as cut off (the usage fact of seed-digest §5.4).
  ctx.relay.publishCommitted(await botContactLeft(db, open.id));
  const after = await db.selectFrom('conversations').select(['status', 'folio']).where('id', '=', open.id).executeTakeFirstOrThrow();
  const outcome = after.status === 'abandoned' ? 'abandoned' : 'answered';
  if (ctx.logger.isLevelEnabled('debug')) log().child({ folio: after.folio }).debug({ providerEventId: event.providerEventId, reason: event.reason, status: after.status }, `contact left: ${outcome}`);
  return outcome;
}

/**
 * The contact owning the contact's identities, most trusted first and following merges — the
 * same lookup ingest makes (identity_owner, migration 0002) — without registering anyone.
 */
async function findContactId(db: Kysely<Database>, ref: ContactRef, channelId: string): Promise<string | null> {
  for (const key of identityKeys(ref, channelId)) {
    const { rows } = await sql<{ contact_id: string | null }>`SELECT contact_id FROM identity_owner(${JSON.stringify(key)}::jsonb)`.execute(db);
    if (rows[0]?.contact_id) return rows[0].contact_id;
  }
  return null;
}
