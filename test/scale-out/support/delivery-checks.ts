import { sql, type Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';

/**
 * "Every acknowledged message stored exactly once" (SPEC §8), from the messages table: each
 * acknowledged provider id is stored once, and no inbound provider id of a channel is stored
 * twice (the webhooks of the router load driver included).
 */
export interface DeliveryReport {
  acknowledged: number;
  storedOnce: number;
  missing: string[];
  duplicated: string[];
  /** Stored although no 2xx reached the sender (the ack was lost on the way; the retry found it stored). */
  storedWithoutAck: number;
}

export async function storedCounts(db: Kysely<Database>, prefix: string): Promise<Map<string, number>> {
  const { rows } = await sql<{ id: string; n: number }>`
    SELECT provider_message_id AS id, count(*)::int AS n FROM messages
     WHERE direction = 'inbound' AND provider_message_id LIKE ${`${prefix}-%`}
     GROUP BY provider_message_id`.execute(db);
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** Polls until every acknowledged id is stored (or the deadline), then judges. */
export async function checkDelivery(db: Kysely<Database>, prefix: string, acked: ReadonlySet<string>, deadline: number): Promise<DeliveryReport> {
  let counts = await storedCounts(db, prefix);
  while (Date.now() < deadline && [...acked].some((id) => !counts.has(id))) {
    await new Promise((r) => setTimeout(r, 500));
    counts = await storedCounts(db, prefix).catch(() => counts);
  }
  const missing = [...acked].filter((id) => !counts.has(id));
  const duplicated = await duplicatedProviderIds(db);
  return {
    acknowledged: acked.size,
    storedOnce: [...acked].filter((id) => counts.get(id) === 1).length,
    missing,
    duplicated,
    storedWithoutAck: [...counts.keys()].filter((id) => !acked.has(id)).length,
  };
}

export async function duplicatedProviderIds(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ id: string; n: number }>`
    SELECT channel_id || '/' || provider_message_id AS id, count(*)::int AS n FROM messages
     WHERE direction = 'inbound' AND provider_message_id IS NOT NULL
     GROUP BY channel_id, provider_message_id HAVING count(*) > 1`.execute(db);
  return rows.map((r) => `${r.id} × ${r.n}`);
}
