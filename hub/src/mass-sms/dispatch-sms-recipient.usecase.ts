import { sql, type Kysely } from 'kysely';
import { sendTwilioMessage, smsChannelSettingsSchema, smsWebhookUrl } from '@ventanilla/connectors';
import { translateDeliveryError } from '@ventanilla/connectors/core';
import type { ChannelStore } from '../channels/channel-store.js';
import type { Database } from '../db/schema.js';
import { renderText } from '../mass-mail/mail-template.js';
import { optOutOf, optOutReason } from '../outbound/opt-outs.js';

export interface SmsDispatchDeps {
  db: Kysely<Database>;
  channels: Pick<ChannelStore, 'get'>;
  /** The hub's public base, for the StatusCallback when the channel has no webhookBaseUrl. */
  publicUrl: string;
}

export type SmsDispatchOutcome = { kind: 'idle' } | { kind: 'skipped' } | { kind: 'sent' } | { kind: 'failed' } | { kind: 'channel_error'; reason: string };

/** Failures of the channel rather than of the number: the row stays pending, the mailing backs off. */
const CHANNEL_CODES = new Set(['rate_limited', 'network_error', 'provider_auth_failed', 'no_secret']);

interface Claimed {
  id: string;
  phone: string;
  name: string | null;
  variables: Record<string, string>;
  attempts: number;
  body: string;
  channel_id: string;
}

/**
 * One recipient of a sending mass SMS, in one transaction (as mass mail): claim the next due
 * pending row (`FOR UPDATE SKIP LOCKED`, joined with its mailing so pause/cancel stop the next
 * claim), skip it if the number opted out since the upload, send it through the channel's
 * Twilio account with a StatusCallback (the receipt finds the row by MessageSid), record.
 */
export async function dispatchNextSms(deps: SmsDispatchDeps, massSmsId: string): Promise<SmsDispatchOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const claimed = await sql<Claimed>`
      SELECT r.id, r.phone, r.name, r.variables, r.attempts, m.body, m.channel_id
      FROM mass_sms_recipients r JOIN mass_sms m ON m.id = r.mass_sms_id
      WHERE r.mass_sms_id = ${massSmsId} AND m.status = 'sending' AND r.status = 'pending'
        AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= now())
      ORDER BY r.next_attempt_at NULLS FIRST, r.created_at, r.id
      LIMIT 1 FOR UPDATE OF r SKIP LOCKED`.execute(trx);
    const row = claimed.rows[0];
    if (!row) return { kind: 'idle' as const };

    const optOut = await optOutOf(trx, row.channel_id, { phone: row.phone });
    if (optOut) {
      await trx.updateTable('mass_sms_recipients').set({ status: 'opted_out', error_code: 'recipient_opted_out', error: optOutReason(optOut) }).where('id', '=', row.id).execute();
      return { kind: 'skipped' as const };
    }
    const channel = await deps.channels.get(row.channel_id);
    const settings = smsChannelSettingsSchema.safeParse(channel?.settings);
    const token = channel?.secrets['authToken'];
    if (!channel || channel.kind !== 'sms' || !channel.row.enabled || !settings.success || !token) {
      return { kind: 'channel_error' as const, reason: 'the channel is not an enabled SMS channel with settings and an auth token' };
    }
    const text = renderText(row.body, { ...row.variables, name: row.name ?? '', phone: row.phone });
    const statusCallback = settings.data.statusCallback ? smsWebhookUrl(settings.data.webhookBaseUrl ?? deps.publicUrl, row.channel_id) : undefined;
    const sender = settings.data.messagingServiceSid ? { messagingServiceSid: settings.data.messagingServiceSid } : { from: settings.data.from };
    const result = await sendTwilioMessage(settings.data, token, { to: row.phone, body: text, mediaUrl: [], ...sender }, statusCallback);
    const attempts = row.attempts + 1;
    if (result.ok) {
      await trx
        .updateTable('mass_sms_recipients')
        .set({ status: 'sent', provider_message_id: result.providerMessageId, attempts, sent_at: sql`now()`, next_attempt_at: null })
        .where('id', '=', row.id)
        .execute();
      return { kind: 'sent' as const };
    }
    if (result.retryable || CHANNEL_CODES.has(result.code)) return { kind: 'channel_error' as const, reason: `${result.code}: ${result.reason}` };
    await trx
      .updateTable('mass_sms_recipients')
      .set({
        status: result.code === 'recipient_opted_out' ? 'opted_out' : 'failed',
        attempts,
        error_code: result.code,
        error: translateDeliveryError(result.code, result.reason),
        failed_at: sql`now()`,
        next_attempt_at: null,
      })
      .where('id', '=', row.id)
      .execute();
    return { kind: 'failed' as const };
  });
}
