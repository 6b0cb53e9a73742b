import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface MassMailBounce {
  /** The Message-ID the bounce reports, with or without angle brackets. */
  originalMessageId: string;
  /** RFC 3464 status, e.g. 5.1.1 (null when the report had none). */
  status: string | null;
  diagnostic: string | null;
  /** A hard bounce (5.x.x): the address is suppressed for the campaign's later mailings. */
  permanent: boolean;
}

export type MassMailBounceResult =
  | { outcome: 'applied'; mailingId: string; recipientId: string; email: string; suppressed: boolean }
  | { outcome: 'unknown' };

/** `<id@host>` and `id@host`: senders and DSN generators disagree on the brackets. */
export function messageIdForms(id: string): string[] {
  const bare = id.trim().replace(/^<|>$/g, '');
  return [...new Set([`<${bare}>`, bare])];
}

/**
 * A delivery failure report for one recipient of a mass mailing of `campaignId` (matched by the
 * Message-ID the mass mailer gave that recipient): the recipient becomes `bounced` with the
 * reason, and a permanent failure puts the address on the campaign's suppression list, so later
 * mailings skip it. Idempotent: the same report twice changes nothing more.
 */
export async function applyMassMailBounce(db: Kysely<Database>, campaignId: string, bounce: MassMailBounce): Promise<MassMailBounceResult> {
  const error = [bounce.status, bounce.diagnostic].filter((part) => part).join(' ') || 'bounced';
  return db.transaction().execute(async (trx) => {
    const recipient = await trx
      .selectFrom('mass_mailing_recipients as r')
      .innerJoin('mass_mailings as m', 'm.id', 'r.mailing_id')
      .select(['r.id', 'r.mailing_id', 'r.email', 'r.status'])
      .where('r.message_id', 'in', messageIdForms(bounce.originalMessageId))
      .where('m.campaign_id', '=', campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (!recipient) return { outcome: 'unknown' as const };
    if (recipient.status !== 'bounced') {
      await trx
        .updateTable('mass_mailing_recipients')
        .set({ status: 'bounced', error: error.slice(0, 1000), failed_at: sql`now()` })
        .where('id', '=', recipient.id)
        .execute();
    }
    let suppressed = false;
    if (bounce.permanent) {
      // An earlier reason (the citizen unsubscribed) stays: it is the stronger one.
      await trx
        .insertInto('email_suppressions')
        .values({ campaign_id: campaignId, email: recipient.email.toLowerCase(), reason: 'bounced', detail: error.slice(0, 1000) })
        .onConflict((oc) => oc.columns(['campaign_id', 'email']).doNothing())
        .execute();
      suppressed = true;
    }
    return { outcome: 'applied' as const, mailingId: recipient.mailing_id, recipientId: recipient.id, email: recipient.email, suppressed };
  });
}
