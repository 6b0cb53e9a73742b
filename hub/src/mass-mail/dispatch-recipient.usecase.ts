import { sql, type Kysely } from 'kysely';
import type { SendMailOptions } from 'nodemailer';
import type { Database, SuppressionReason } from '../db/schema.js';
import { massMailMessageId, type MailingContent, type RecipientContent } from './mass-mail-message.js';
import type { MassMailSender } from './sender-pool.js';
import { classifySmtpFailure } from './smtp-failure.js';
import { SUPPRESSION_REASON_TEXT } from './suppression-reason.js';

/** SMTP attempts per recipient for temporary (4xx) refusals (issue 5 brief: at most 3). */
export const MAX_ATTEMPTS = 3;

export type DispatchOutcome =
  | { kind: 'idle' }
  | { kind: 'suppressed' }
  | { kind: 'sent'; recipientId: string }
  | { kind: 'failed'; recipientId: string; reason: string }
  | { kind: 'retry'; recipientId: string; reason: string }
  | { kind: 'channel_error'; reason: string };

export interface DispatchDeps {
  db: Kysely<Database>;
  /** 4xx retries wait this long times the attempts made. */
  retryDelayMs: number;
  build(mailing: MailingContent, recipient: RecipientContent, sender: MassMailSender): Promise<SendMailOptions>;
}

interface ClaimedRow {
  id: string;
  email: string;
  name: string | null;
  variables: Record<string, string>;
  attempts: number;
  campaign_id: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  qr_text: string | null;
  suppression: SuppressionReason | null;
}

/**
 * Sends the next pending recipient of a sending mailing, exactly once across processes:
 *
 * 1. In one transaction, claim a pending recipient with `FOR UPDATE SKIP LOCKED` (another
 *    dispatcher skips it) — only while the mailing is `sending`, so a pause or a cancel stops the
 *    next claim — and read the suppression list (an unsubscribe since the upload is honoured).
 * 2. Hand the mail to the SMTP server and, once it answered, write the outcome (sent_at and the
 *    Message-ID, or the failure) and COMMIT. The row lock is held meanwhile.
 *
 * A process that dies before the COMMIT leaves the row `pending` and unlocked: another dispatcher
 * sends it later. At-least-once window: the server accepted the mail but the process died in the
 * instant before COMMIT (one UPDATE and the COMMIT round trip) — that recipient gets it twice.
 * Accepted, as for any SMTP client: the protocol has no idempotency key, and the deterministic
 * Message-ID lets the receiving side (and the bounce reader) treat the two as one.
 */
export async function dispatchNext(deps: DispatchDeps, mailingId: string, sender: MassMailSender): Promise<DispatchOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const claimed = await sql<ClaimedRow>`
      SELECT r.id, r.email, r.name, r.variables, r.attempts, m.campaign_id, m.subject, m.body_text, m.body_html, m.qr_text, s.reason AS suppression
      FROM mass_mailing_recipients r
      JOIN mass_mailings m ON m.id = r.mailing_id
      LEFT JOIN email_suppressions s ON s.campaign_id = m.campaign_id AND s.email = r.email
      WHERE r.mailing_id = ${mailingId} AND r.status = 'pending' AND m.status = 'sending'
        AND (r.failed_at IS NULL OR r.failed_at <= now() - ${Math.round(deps.retryDelayMs)}::int * greatest(r.attempts, 1) * interval '1 millisecond')
      LIMIT 1
      FOR UPDATE OF r SKIP LOCKED`.execute(trx);
    const row = claimed.rows[0];
    if (!row) return { kind: 'idle' as const };

    const recipient = trx.updateTable('mass_mailing_recipients').where('id', '=', row.id);
    if (row.suppression) {
      await recipient.set({ status: 'suppressed', error: SUPPRESSION_REASON_TEXT[row.suppression] }).execute();
      return { kind: 'suppressed' as const };
    }

    const mailing: MailingContent = { id: mailingId, campaignId: row.campaign_id, subject: row.subject, bodyText: row.body_text, bodyHtml: row.body_html, qrText: row.qr_text };
    let message: SendMailOptions;
    try {
      message = await deps.build(mailing, { id: row.id, email: row.email, name: row.name, variables: row.variables }, sender);
    } catch (error) {
      const reason = `no se pudo componer el correo / could not build the mail: ${error instanceof Error ? error.message : String(error)}`.slice(0, 1000);
      await recipient.set({ status: 'failed', error: reason, failed_at: sql`clock_timestamp()`, attempts: row.attempts + 1 }).execute();
      return { kind: 'failed' as const, recipientId: row.id, reason };
    }

    try {
      await sender.transport.sendMail(message);
    } catch (error) {
      const failure = classifySmtpFailure(error);
      if (failure.scope === 'channel') {
        // Not this address's fault: no attempt is spent, the row waits one retry delay so the
        // next rows get their turn, and the caller backs the whole mailing off.
        await recipient.set({ error: failure.reason, failed_at: sql`clock_timestamp()` }).execute();
        return { kind: 'channel_error' as const, reason: failure.reason };
      }
      const attempts = row.attempts + 1;
      const final = failure.permanent || attempts >= MAX_ATTEMPTS;
      await recipient.set({ status: final ? 'failed' : 'pending', error: failure.reason, failed_at: sql`clock_timestamp()`, attempts }).execute();
      return final ? { kind: 'failed' as const, recipientId: row.id, reason: failure.reason } : { kind: 'retry' as const, recipientId: row.id, reason: failure.reason };
    }
    await recipient.set({ status: 'sent', sent_at: sql`clock_timestamp()`, message_id: massMailMessageId(row.id, sender.messageIdDomain), attempts: row.attempts + 1, error: null, failed_at: null }).execute();
    return { kind: 'sent' as const, recipientId: row.id };
  });
}
