import { sql, type Transaction } from 'kysely';
import type { ChannelClassColumn, Database } from '../../db/schema.js';

/** Gives back one session of `channelClass` on the agent's seat (never below zero). */
export async function releaseSeat(trx: Transaction<Database>, agentId: string, channelClass: ChannelClassColumn): Promise<void> {
  const column = sql.ref(`load_${channelClass}`);
  await sql`UPDATE agent_seats SET ${column} = greatest(${column} - 1, 0), updated_at = clock_timestamp() WHERE user_id = ${agentId}`.execute(trx);
}

/** Marks the session an offer opened as ended (capacity audit: offers.created_at … ended_at). */
export async function endOfferSession(trx: Transaction<Database>, offerId: string | null): Promise<void> {
  if (offerId === null) return;
  await trx.updateTable('offers').set({ ended_at: sql`clock_timestamp()` }).where('id', '=', offerId).where('ended_at', 'is', null).execute();
}
