import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../db/schema.js';

/** The recipient tables of the bulk sends, with the column naming their send. */
const SEND_COLUMN = { mass_mailing_recipients: 'mailing_id', mass_sms_recipients: 'mass_sms_id' } as const;

export type RecipientTable = keyof typeof SEND_COLUMN;

export interface RecipientPageQuery {
  status?: string | undefined;
  /** The last id of the previous page (keyset paging: stable while rows change status). */
  cursor?: string | undefined;
  limit: number;
}

/** One page of a bulk send's recipients in id order, optionally of one status, and the next page's cursor. */
export async function recipientPage<T extends RecipientTable, V>(
  db: Kysely<Database>,
  table: T,
  sendId: string,
  query: RecipientPageQuery,
  view: (row: Selectable<Database[T]>) => V,
): Promise<{ items: V[]; nextCursor: string | null }> {
  const { status, cursor, limit } = query;
  // Both tables key their rows by a uuid `id`, which the intersection states for the generic T.
  const rows = await sql<Selectable<Database[T]> & { id: string }>`
    SELECT * FROM ${sql.table(table)} WHERE ${sql.ref(SEND_COLUMN[table])} = ${sendId}
    ${status ? sql`AND status = ${status}` : sql``} ${cursor ? sql`AND id > ${cursor}` : sql``}
    ORDER BY id LIMIT ${limit + 1}`.execute(db);
  const page = rows.rows.slice(0, limit);
  return { items: page.map(view), nextCursor: rows.rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
}
