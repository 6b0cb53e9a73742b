import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, MassSms, MassSmsRecipient } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { MASS_SMS_RECIPIENT_STATUSES, type MassSmsSummary, type MassSmsView } from './mass-sms.schema.js';

export type Db = Kysely<Database> | Transaction<Database>;

/** A mass SMS of this campaign (locked for the rest of the transaction when asked); 404 otherwise. */
export async function findMassSms(db: Db, campaignId: string, massSmsId: string, lock = false): Promise<MassSms> {
  const query = db.selectFrom('mass_sms').selectAll().where('id', '=', massSmsId).where('campaign_id', '=', campaignId);
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_MASS_SMS_NOT_FOUND');
  return row;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const percentOf = (part: number, total: number) => (total === 0 ? 0 : Math.round((part / total) * 10_000) / 100);

type Counts = Record<(typeof MASS_SMS_RECIPIENT_STATUSES)[number], number> & { retrying: number; attempts: number };

/**
 * The per-recipient lifecycle report: how many are pending (of them, waiting for a retry), sent
 * and awaiting a receipt, delivered, undelivered, failed, opted out or invalid, with percentages
 * of the list and the attempts spent.
 */
export async function massSmsSummary(db: Db, massSmsId: string): Promise<MassSmsSummary> {
  const rows = await sql<{ status: string; n: string; retrying: string; attempts: string }>`
    SELECT status, count(*) AS n, count(*) FILTER (WHERE status = 'pending' AND attempts > 0) AS retrying, coalesce(sum(attempts), 0) AS attempts
    FROM mass_sms_recipients WHERE mass_sms_id = ${massSmsId} GROUP BY status`.execute(db);
  const counts: Counts = { pending: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, opted_out: 0, invalid: 0, retrying: 0, attempts: 0 };
  for (const r of rows.rows) {
    const status = MASS_SMS_RECIPIENT_STATUSES.find((s) => s === r.status);
    if (status) counts[status] = Number(r.n);
    counts.retrying += Number(r.retrying);
    counts.attempts += Number(r.attempts);
  }
  const total = MASS_SMS_RECIPIENT_STATUSES.reduce((sum, s) => sum + counts[s], 0);
  return {
    total,
    ...counts,
    percent: Object.fromEntries(MASS_SMS_RECIPIENT_STATUSES.map((s) => [s, percentOf(counts[s], total)])),
  };
}

export async function massSmsView(db: Db, row: MassSms): Promise<MassSmsView> {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    channelId: row.channel_id,
    name: row.name,
    body: row.body,
    status: row.status,
    scheduledAt: iso(row.scheduled_at),
    ratePerMinute: row.rate_per_minute,
    maxAttempts: row.max_attempts,
    retryDelaySeconds: row.retry_delay_seconds,
    createdAt: row.created_at.toISOString(),
    startedAt: iso(row.started_at),
    completedAt: iso(row.completed_at),
    summary: await massSmsSummary(db, row.id),
  };
}

export function toRecipientView(r: MassSmsRecipient) {
  return {
    id: r.id,
    phone: r.phone,
    name: r.name,
    variables: r.variables,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    providerMessageId: r.provider_message_id,
    errorCode: r.error_code,
    error: r.error,
    sentAt: iso(r.sent_at),
    deliveredAt: iso(r.delivered_at),
    failedAt: iso(r.failed_at),
  };
}
