import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { UploadReport } from './mass-sms.schema.js';
import type { PhoneList } from './phone-list.js';

const MAX_PROBLEMS = 20;
const CHUNK = 1000;

/**
 * Stores a parsed list on a draft: valid numbers `pending`, unusable ones `invalid` (kept for the
 * bad-number CSV), numbers already opted out of the channel `opted_out` (never sent; a later
 * ALTO is checked again at send time), a number twice in the mailing counted once.
 */
export async function uploadPhoneList(trx: Transaction<Database>, input: { massSmsId: string; channelId: string; list: PhoneList; replace: boolean }): Promise<UploadReport> {
  const { massSmsId, channelId, list } = input;
  if (input.replace) await trx.deleteFrom('mass_sms_recipients').where('mass_sms_id', '=', massSmsId).execute();
  const optedOut = new Set(
    (await trx.selectFrom('sms_opt_outs').select('phone').where('channel_id', '=', channelId).where('phone', 'in', ['', ...list.rows.filter((r) => !r.problem).map((r) => r.phone)]).execute()).map((r) => r.phone),
  );
  const seen = new Set<string>();
  let duplicates = 0;
  const values = [];
  for (const row of list.rows) {
    const key = row.phone || `#row${row.row}`;
    if (seen.has(key)) {
      duplicates += 1;
      continue;
    }
    seen.add(key);
    const status = row.problem ? ('invalid' as const) : optedOut.has(row.phone) ? ('opted_out' as const) : ('pending' as const);
    const error = status === 'opted_out' ? 'el número se dio de baja de este canal (ALTO/STOP) / the number opted out of this channel (STOP)' : row.problem;
    const errorCode = status === 'pending' ? null : status === 'invalid' ? 'invalid_phone' : 'recipient_opted_out';
    values.push({ mass_sms_id: massSmsId, phone: key.slice(0, 40), name: row.name, variables: JSON.stringify(row.variables), status, error, error_code: errorCode });
  }
  let added = 0;
  for (let i = 0; i < values.length; i += CHUNK) {
    const inserted = await trx.insertInto('mass_sms_recipients').values(values.slice(i, i + CHUNK)).onConflict((oc) => oc.columns(['mass_sms_id', 'phone']).doNothing()).returning('id').execute();
    added += inserted.length;
    duplicates += values.slice(i, i + CHUNK).length - inserted.length;
  }
  const problems = list.rows.flatMap((r) => (r.problem ? [r.problem] : []));
  return {
    format: list.format,
    columns: list.columns,
    received: list.rows.length,
    added,
    invalid: values.filter((v) => v.status === 'invalid').length,
    duplicates,
    optedOut: values.filter((v) => v.status === 'opted_out').length,
    problems: problems.slice(0, MAX_PROBLEMS),
  };
}
