import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { completeArcoRequest } from './arco-requests.store.js';
import type { Principal } from '../../auth/principal.js';
import { officialIdValidators } from '../../contacts/official-ids.js';
import type { Database } from '../../db/schema.js';
import type { ArcoRequestRow } from '../../db/schema-privacy.js';
import { HubError } from '../../errors/error-registry.js';
import type { ArcoRectify } from './arco.schema.js';

const FIELDS = [
  ['displayName', 'display_name'],
  ['curp', 'curp'],
  ['rfc', 'rfc'],
  ['nss', 'nss'],
] as const;
type Column = (typeof FIELDS)[number][1];

/** The audit log is append-only: it keeps a digest of each value, never the value (LFPDPPP). */
export function valueDigest(value: string | null): string | null {
  return value === null ? null : createHash('sha256').update(value).digest('hex');
}

export interface RectifyResult {
  fields: string[];
  digests: Record<string, { before: string | null; after: string | null }>;
}

/** Rectification: the contact's fields as the titular asks (official ids validated by check digit). */
export async function rectifyContact(trx: Transaction<Database>, principal: Principal, request: ArcoRequestRow, body: ArcoRectify, meta: { ip: string | null; userAgent: string | null }): Promise<RectifyResult> {
  const contact = await trx.selectFrom('contacts').selectAll().where('id', '=', request.contact_id).forUpdate().executeTakeFirst();
  if (!contact) throw new HubError('HUB_ERR_CONTACT_NOT_FOUND');
  const changes: Partial<Record<Column, string | null>> = {};
  for (const [field, column] of FIELDS) {
    const raw = body[field];
    if (raw === undefined) continue;
    if (raw === null || field === 'displayName') {
      changes[column] = raw;
      continue;
    }
    const checked = officialIdValidators[field](raw);
    if (!checked.ok) throw new HubError('HUB_ERR_CONTACT_INVALID_ID', checked.reason, { field, reason: checked.reason });
    changes[column] = checked.value;
  }
  const result: RectifyResult = { fields: [], digests: {} };
  for (const [field, column] of FIELDS) {
    const after = changes[column];
    if (after === undefined || after === contact[column]) continue;
    result.fields.push(field);
    result.digests[field] = { before: valueDigest(contact[column]), after: valueDigest(after) };
  }
  if (result.fields.length > 0) await trx.updateTable('contacts').set({ ...changes, updated_at: new Date() }).where('id', '=', contact.id).execute();
  await completeArcoRequest(trx, { principal, request, meta, action: 'privacy.arco_rectified', contactId: contact.id, resolution: { ...result } });
  return result;
}
