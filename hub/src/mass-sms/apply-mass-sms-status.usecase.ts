import { sql, type Kysely } from 'kysely';
import { isRetryableNonDelivery, twilioCodeOfReason } from '@ventanilla/connectors';
import { translateDeliveryError, type InboundStatusEvent } from '@ventanilla/connectors/core';
import type { Database, MassSmsRecipientStatus } from '../db/schema.js';

export type MassSmsStatusOutcome = 'applied' | 'retry_scheduled' | 'stale' | 'not_mass_sms';

interface Row {
  id: string;
  status: MassSmsRecipientStatus;
  attempts: number;
  mass_sms_id: string;
  max_attempts: number;
  retry_delay_seconds: number;
  mass_status: string;
}

/**
 * A Twilio status callback for a mass SMS (found by MessageSid). Delivered closes the row; a
 * non-delivery a later attempt can cure (handset off, carrier queue: twilio-errors.ts) puts it
 * back to pending after the mailing's retry delay until `max_attempts`; anything else is final —
 * `undelivered` for carrier (30xxx) codes, `failed` otherwise. A retry reopens a mailing the
 * dispatcher already completed (completed = nothing left to hand to Twilio at that moment).
 */
export async function applyMassSmsStatus(db: Kysely<Database>, channelId: string, event: InboundStatusEvent): Promise<MassSmsStatusOutcome> {
  return db.transaction().execute(async (trx) => {
    const found = await sql<Row>`
      SELECT r.id, r.status, r.attempts, r.mass_sms_id, m.max_attempts, m.retry_delay_seconds, m.status AS mass_status
      FROM mass_sms_recipients r JOIN mass_sms m ON m.id = r.mass_sms_id
      WHERE r.provider_message_id = ${event.providerMessageId} AND m.channel_id = ${channelId}
      FOR UPDATE OF r`.execute(trx);
    const row = found.rows[0];
    if (!row) return 'not_mass_sms' as const;
    const at = new Date(event.occurredAt);
    if (event.status === 'delivered' || event.status === 'read') {
      if (row.status === 'delivered') return 'stale' as const;
      await trx.updateTable('mass_sms_recipients').set({ status: 'delivered', delivered_at: at }).where('id', '=', row.id).execute();
      return 'applied' as const;
    }
    if (event.status !== 'failed' || row.status !== 'sent') return 'stale' as const;
    const twilioCode = twilioCodeOfReason(event.error?.reason);
    const code = twilioCode ?? event.error?.code ?? 'unknown';
    const error = translateDeliveryError(event.error?.code ?? 'unknown', event.error?.reason ?? '');
    if (isRetryableNonDelivery(twilioCode) && row.attempts < row.max_attempts && row.mass_status !== 'cancelled') {
      await trx
        .updateTable('mass_sms_recipients')
        .set({ status: 'pending', provider_message_id: null, error_code: code, error, next_attempt_at: new Date(Date.now() + row.retry_delay_seconds * 1000) })
        .where('id', '=', row.id)
        .execute();
      await trx.updateTable('mass_sms').set({ status: 'sending', completed_at: null, updated_at: sql`now()` }).where('id', '=', row.mass_sms_id).where('status', '=', 'completed').execute();
      return 'retry_scheduled' as const;
    }
    await trx
      .updateTable('mass_sms_recipients')
      .set({ status: twilioCode?.startsWith('30') ? 'undelivered' : 'failed', error_code: code, error, failed_at: at })
      .where('id', '=', row.id)
      .execute();
    return 'applied' as const;
  });
}
