import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { bilingual } from '../router/config/routing-problem.js';
import type { UploadReport } from './mass-mail.schema.js';
import type { RecipientList } from './recipient-list.js';
import { suppressionReasonSql } from './suppression-reason.js';

const CHUNK = 5000;

interface InsertRow {
  email: string;
  name: string | null;
  variables: Record<string, string>;
  status: 'pending' | 'invalid';
  error: string | null;
}

/**
 * Stores a parsed list on a draft mailing (the caller holds its row lock): one row per address.
 * Invalid addresses are kept as `invalid` so the bad-address list names them; an address seen
 * earlier in the file or already on the mailing counts as a duplicate; an address the campaign
 * must not mail (email_suppressions: unsubscribed, bounced, complaint) is stored `suppressed`.
 */
export async function uploadRecipients(
  trx: Transaction<Database>,
  input: { mailingId: string; campaignId: string; list: RecipientList; replace: boolean; maxRecipients: number },
): Promise<UploadReport> {
  const { mailingId, campaignId, list } = input;
  if (input.replace) await trx.deleteFrom('mass_mailing_recipients').where('mailing_id', '=', mailingId).execute();

  const unique = new Map<string, InsertRow>();
  for (const r of list.rows) {
    const key = r.email.toLowerCase();
    if (unique.has(key)) continue;
    unique.set(key, { email: r.email, name: r.name, variables: r.variables, status: r.problem ? 'invalid' : 'pending', error: r.problem });
  }
  let duplicate = list.rows.length - unique.size;

  const existing = input.replace
    ? 0
    : Number((await trx.selectFrom('mass_mailing_recipients').select((eb) => eb.fn.countAll<string>().as('n')).where('mailing_id', '=', mailingId).executeTakeFirstOrThrow()).n);
  if (existing + unique.size > input.maxRecipients) {
    throw new HubError(
      'HUB_ERR_MASS_MAIL_LIST_INVALID',
      bilingual(`el envío admite hasta ${input.maxRecipients.toLocaleString('es-MX')} destinatarios (ya tiene ${existing.toLocaleString('es-MX')})`, `a mailing holds at most ${input.maxRecipients.toLocaleString('en-US')} recipients (it has ${existing.toLocaleString('en-US')})`),
    );
  }

  const counts = { accepted: 0, invalid: 0, suppressed: 0 };
  const rows = [...unique.values()];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    // One statement per chunk: the suppression list is joined here (checked again at send time),
    // and ON CONFLICT tells which addresses the mailing already had.
    const inserted = await sql<{ status: string }>`
      INSERT INTO mass_mailing_recipients (mailing_id, email, name, variables, status, error)
      SELECT ${mailingId}::uuid, x.email, x.name, coalesce(x.variables, '{}'::jsonb),
             CASE WHEN x.status = 'pending' AND s.email IS NOT NULL THEN 'suppressed' ELSE x.status END,
             CASE WHEN x.status = 'pending' AND s.email IS NOT NULL THEN ${suppressionReasonSql(sql.ref('s.reason'))} ELSE x.error END
      FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS x(email text, name text, variables jsonb, status text, error text)
      LEFT JOIN email_suppressions s ON s.campaign_id = ${campaignId}::uuid AND s.email = x.email
      ON CONFLICT (mailing_id, email) DO NOTHING
      RETURNING status`.execute(trx);
    duplicate += chunk.length - inserted.rows.length;
    for (const { status } of inserted.rows) {
      if (status === 'pending') counts.accepted += 1;
      else if (status === 'suppressed') counts.suppressed += 1;
      else counts.invalid += 1;
    }
  }
  await trx.updateTable('mass_mailings').set({ updated_at: sql`now()` }).where('id', '=', mailingId).execute();
  return { format: list.format, rows: list.rows.length, ...counts, duplicate, columns: list.columns };
}
