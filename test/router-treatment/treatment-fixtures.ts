import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { syncAgentSeats, type Database } from '@ventanilla/hub';
import { createUser } from '../support/factories.js';

/** Waiting conversations and agent seats written straight to the database, for refreshes run by hand. */

export async function insertWaiting(
  db: Kysely<Database>,
  input: { campaignId: string; channelId: string; queueId: string; waitingSinceMs: number },
): Promise<string> {
  const contact = await db.insertInto('contacts').values({ display_name: `Ciudadano ${randomBytes(2).toString('hex')}` }).returning('id').executeTakeFirstOrThrow();
  const since = new Date(input.waitingSinceMs);
  const row = await db
    .insertInto('conversations')
    .values({
      folio: `TQ-${randomBytes(5).toString('hex')}`,
      campaign_id: input.campaignId,
      channel_id: input.channelId,
      contact_id: contact.id,
      status: 'queued',
      queue_id: input.queueId,
      channel_class: 'text',
      opened_at: since,
      enqueued_at: since,
      queue_entered_at: since,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An agent of the campaign, in `state`, holding `load` text sessions. */
export async function seatedAgent(db: Kysely<Database>, campaignId: string, seat: { load: number; state?: 'available' | 'lunch' }): Promise<string> {
  const user = await createUser(db, { roles: ['agent'], campaignIds: [campaignId] });
  await syncAgentSeats(db, [user.id]);
  await db.updateTable('agent_seats').set({ state: seat.state ?? 'available', load_text: seat.load }).where('user_id', '=', user.id).execute();
  return user.id;
}

/** Texts of the system messages sent to the citizen of a conversation, oldest first. */
export async function systemTexts(db: Kysely<Database>, conversationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .select('text')
    .where('conversation_id', '=', conversationId)
    .where('sender_type', '=', 'system')
    .where('direction', '=', 'outbound')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.text ?? '');
}
