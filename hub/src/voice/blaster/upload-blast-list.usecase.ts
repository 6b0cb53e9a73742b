import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { UploadReport } from './blast.schema.js';
import type { BlastList } from './blast-list.js';

const MAX_PROBLEMS = 50;
const CHUNK = 1000;
const DNC_REASON = 'el número pidió no recibir más llamadas de esta campaña / the number asked not to be called again by this campaign';

/**
 * Stores a parsed list on a draft blast: valid numbers `pending`, numbers on the campaign's
 * do-not-call list `opted_out` (never called), unusable lines `invalid` with their reason (kept
 * so the results export lists them), a number twice kept once.
 */
export async function uploadBlastList(trx: Transaction<Database>, input: { blastId: string; campaignId: string; list: BlastList; replace: boolean }): Promise<UploadReport> {
  const { blastId, list } = input;
  if (input.replace) await trx.deleteFrom('voice_blast_recipients').where('blast_id', '=', blastId).execute();
  const phones = list.rows.map((r) => r.phone);
  const dnc = new Set(
    phones.length === 0 ? [] : (await trx.selectFrom('voice_do_not_call').select('phone').where('campaign_id', '=', input.campaignId).where('phone', 'in', phones).execute()).map((r) => r.phone),
  );
  const values = [
    ...list.rows.map((r) => ({
      blast_id: blastId,
      line: r.line,
      phone: r.phone,
      name: r.name,
      variables: JSON.stringify(r.variables),
      status: dnc.has(r.phone) ? ('opted_out' as const) : ('pending' as const),
      last_error: dnc.has(r.phone) ? DNC_REASON : null,
    })),
    ...list.problems.map((p) => ({
      blast_id: blastId,
      line: p.line,
      phone: p.value === '' ? `(línea ${p.line})` : p.value,
      name: null,
      variables: '{}',
      status: 'invalid' as const,
      last_error: p.reason,
    })),
  ];
  let added = 0;
  let duplicates = list.duplicates.length;
  for (let i = 0; i < values.length; i += CHUNK) {
    const chunk = values.slice(i, i + CHUNK);
    const inserted = await trx.insertInto('voice_blast_recipients').values(chunk).onConflict((oc) => oc.columns(['blast_id', 'phone']).doNothing()).returning('status').execute();
    added += inserted.filter((r) => r.status !== 'invalid').length;
    duplicates += chunk.length - inserted.length;
  }
  return {
    received: list.rows.length + list.problems.length + list.duplicates.length,
    added,
    invalid: list.problems.length,
    duplicates,
    doNotCall: dnc.size,
    columns: list.columns,
    problems: list.problems.slice(0, MAX_PROBLEMS),
  };
}
