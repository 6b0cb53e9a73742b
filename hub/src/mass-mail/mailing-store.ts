import type { Kysely, Transaction } from 'kysely';
import type { Database, MassMailing, MassMailingRecipient } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { loadStatusCounts, NO_RECIPIENTS, summarize, type StatusCounts } from './mailing-summary.js';
import type { MailingView, RecipientView } from './mass-mail.schema.js';

export type Db = Kysely<Database> | Transaction<Database>;

/** A mailing of this campaign (locked for the rest of the transaction when asked); 404 otherwise. */
export async function findMailing(db: Db, campaignId: string, mailingId: string, lock = false): Promise<MassMailing> {
  const query = db.selectFrom('mass_mailings').selectAll().where('id', '=', mailingId).where('campaign_id', '=', campaignId);
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_MASS_MAIL_NOT_FOUND');
  return row;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toMailingView(row: MassMailing, counts: StatusCounts = NO_RECIPIENTS): MailingView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    channelId: row.channel_id,
    name: row.name,
    subject: row.subject,
    bodyText: row.body_text,
    bodyHtml: row.body_html,
    qrText: row.qr_text,
    status: row.status,
    scheduledAt: iso(row.scheduled_at),
    ratePerMinute: row.rate_per_minute,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    startedAt: iso(row.started_at),
    completedAt: iso(row.completed_at),
    summary: summarize(row, counts),
  };
}

/** A mailing with its summary, read now. */
export async function mailingView(db: Db, row: MassMailing): Promise<MailingView> {
  return toMailingView(row, (await loadStatusCounts(db, [row.id])).get(row.id));
}

export function toRecipientView(row: MassMailingRecipient): RecipientView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    variables: row.variables,
    status: row.status,
    error: row.error,
    messageId: row.message_id,
    attempts: row.attempts,
    sentAt: iso(row.sent_at),
    failedAt: iso(row.failed_at),
  };
}
