import { sql, type RawBuilder } from 'kysely';
import type { SuppressionReason } from '../db/schema.js';

/** Why an address was skipped, as the recipient row and the bad-address list say it. */
export const SUPPRESSION_REASON_TEXT: Record<SuppressionReason, string> = {
  unsubscribed: 'se dio de baja / unsubscribed',
  bounced: 'rebotó en un envío anterior / bounced before',
  complaint: 'lo reportó como spam / complained (spam report)',
};

/** The same texts in SQL, for statements that mark rows set-based. */
export function suppressionReasonSql(column: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`CASE ${column} WHEN 'unsubscribed' THEN ${SUPPRESSION_REASON_TEXT.unsubscribed} WHEN 'bounced' THEN ${SUPPRESSION_REASON_TEXT.bounced} ELSE ${SUPPRESSION_REASON_TEXT.complaint} END`;
}
