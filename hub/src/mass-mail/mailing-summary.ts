import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, MassMailing } from '../db/schema.js';
import type { MailingSummary } from './mass-mail.schema.js';

/**
 * The post-batch summary (seed §1.4: count and % sent, received, account error, undeliverable):
 * per status counts with percentages of the list, the send window and the rate achieved.
 */
export interface StatusCounts {
  pending: number;
  sent: number;
  failed: number;
  bounced: number;
  suppressed: number;
  invalid: number;
  firstSentAt: Date | null;
  lastSentAt: Date | null;
}

export const NO_RECIPIENTS: StatusCounts = { pending: 0, sent: 0, failed: 0, bounced: 0, suppressed: 0, invalid: 0, firstSentAt: null, lastSentAt: null };

const percentOf = (part: number, total: number) => (total === 0 ? 0 : Math.round((part / total) * 10_000) / 100);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** `sent` counts what the SMTP server accepted, bounced ones included; `delivered` those that stayed. */
export function summarize(mailing: Pick<MassMailing, 'rate_per_minute' | 'started_at' | 'completed_at'>, c: StatusCounts): MailingSummary {
  const accepted = c.sent + c.bounced;
  const total = c.pending + accepted + c.failed + c.suppressed + c.invalid;
  const spanMs = c.firstSentAt && c.lastSentAt ? c.lastSentAt.getTime() - c.firstSentAt.getTime() : 0;
  const counts = { pending: c.pending, sent: accepted, delivered: c.sent, failed: c.failed, bounced: c.bounced, suppressed: c.suppressed, invalid: c.invalid };
  return {
    total,
    ...counts,
    percent: {
      pending: percentOf(counts.pending, total),
      sent: percentOf(counts.sent, total),
      delivered: percentOf(counts.delivered, total),
      failed: percentOf(counts.failed, total),
      bounced: percentOf(counts.bounced, total),
      suppressed: percentOf(counts.suppressed, total),
      invalid: percentOf(counts.invalid, total),
    },
    startedAt: iso(mailing.started_at),
    completedAt: iso(mailing.completed_at),
    firstSentAt: iso(c.firstSentAt),
    lastSentAt: iso(c.lastSentAt),
    ratePerMinute: mailing.rate_per_minute,
    // n sends span n − 1 intervals.
    actualRatePerMinute: accepted >= 2 && spanMs > 0 ? Math.round(((accepted - 1) / (spanMs / 60_000)) * 100) / 100 : null,
  };
}

/** Counts of several mailings in one statement (the list page). */
export async function loadStatusCounts(db: Kysely<Database> | Transaction<Database>, mailingIds: readonly string[]): Promise<Map<string, StatusCounts>> {
  const result = new Map<string, StatusCounts>();
  if (mailingIds.length === 0) return result;
  const rows = await sql<{ mailing_id: string; pending: string; sent: string; failed: string; bounced: string; suppressed: string; invalid: string; first_sent: Date | null; last_sent: Date | null }>`
    SELECT mailing_id,
      count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'sent') AS sent,
      count(*) FILTER (WHERE status = 'failed') AS failed, count(*) FILTER (WHERE status = 'bounced') AS bounced,
      count(*) FILTER (WHERE status = 'suppressed') AS suppressed, count(*) FILTER (WHERE status = 'invalid') AS invalid,
      min(sent_at) AS first_sent, max(sent_at) AS last_sent
    FROM mass_mailing_recipients WHERE mailing_id = ANY(${[...mailingIds]}::uuid[]) GROUP BY mailing_id`.execute(db);
  for (const r of rows.rows) {
    result.set(r.mailing_id, {
      pending: Number(r.pending),
      sent: Number(r.sent),
      failed: Number(r.failed),
      bounced: Number(r.bounced),
      suppressed: Number(r.suppressed),
      invalid: Number(r.invalid),
      firstSentAt: r.first_sent,
      lastSentAt: r.last_sent,
    });
  }
  return result;
}
