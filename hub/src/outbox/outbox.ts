import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ServerEventName, ServerEventPayload } from '../realtime/events.contract.js';

/** A realtime notification as stored in the outbox, before it gets its event id. */
export type OutboxNotification = {
  [E in ServerEventName]: { event: E; rooms: string[]; data: Omit<ServerEventPayload<E>, 'eventId'> };
}[ServerEventName];

export interface OutboxRow {
  id: string;
  notification: OutboxNotification;
}

/** Written in the same transaction as the state it announces (CONVENTIONS 5). */
export async function writeOutbox(trx: Transaction<Database> | Kysely<Database>, notifications: OutboxNotification[]): Promise<OutboxRow[]> {
  if (notifications.length === 0) return [];
  const rows = await trx
    .insertInto('outbox')
    .values(notifications.map((n) => ({ topic: `realtime.${n.event}`, payload: JSON.stringify(n) })))
    .returning(['id'])
    .execute();
  return rows.map((row, i) => ({ id: row.id, notification: notifications[i] as OutboxNotification }));
}

export async function markPublished(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY(${ids}::bigint[]) AND published_at IS NULL`.execute(db);
}
