import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { PURGED_TEXT } from '../purge.usecase.js';
import { affected } from './arco-cancel-conversations.js';
import { CANCELLED_NUMBER } from './arco-cancel-placeholders.js';
import { phoneMatches, type CancelSubject } from './arco-cancel-subject.js';

export interface ChannelScrub {
  webchatSessions: number;
  calls: number;
  voicemails: number;
  callbacks: number;
  massRecipients: number;
}

const ARCO_REASON = 'Cancelación ARCO del titular / ARCO cancellation of the data subject';

/**
 * The IVR state and outcome of a call (voice-bridge IvrState / IvrOutcome): `collected` holds
 * what the caller typed (NSS, CURP, a call-back phone), `path[].input` the digits; the node path
 * stays for the IVR statistics.
 */
function scrubIvr(column: string) {
  const c = sql.ref(column);
  return sql`CASE WHEN jsonb_typeof(${c}) = 'object' THEN (${c} - 'phone')
    || CASE WHEN ${c}->'collected' IS NOT NULL THEN '{"collected": {}}'::jsonb ELSE '{}'::jsonb END
    || CASE WHEN jsonb_typeof(${c}->'path') = 'array' THEN jsonb_build_object('path',
         (SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(e.step) = 'object' THEN e.step - 'input' ELSE e.step END ORDER BY e.i), '[]'::jsonb)
            FROM jsonb_array_elements(${c}->'path') WITH ORDINALITY AS e(step, i)))
       ELSE '{}'::jsonb END
    ELSE ${c} END`;
}

/**
 * Web chat pre-chat forms, the caller's number on calls, voicemails and call-backs (pending
 * call-backs are cancelled: there is nobody to call back), and the titular's rows in the
 * mass-mailing, mass-SMS and voice-blast lists (pending ones are not sent; delivered ones stay
 * counted for billing). The opt-out lists (email_suppressions, sms_opt_outs, voice_do_not_call)
 * are kept: deleting them would start sending to the person again.
 */
export async function scrubChannels(trx: Transaction<Database>, subject: CancelSubject, now: Date): Promise<ChannelScrub> {
  const { conversationIds: conversations, phoneKeys: keys } = subject;
  const webchatSessions = affected(
    await sql`UPDATE webchat_sessions SET name = NULL, email = NULL, phone = NULL, topic = NULL, ip = NULL, user_agent = NULL
               WHERE visitor_id = ANY(${subject.visitorIds}::uuid[])`.execute(trx),
  );
  const inConversations = sql`conversation_id = ANY(${conversations}::uuid[])`;
  const calls = affected(
    await sql`UPDATE voice_calls SET
        from_number = CASE WHEN ${phoneMatches('from_number', keys)} OR (${inConversations} AND kind = 'inbound' AND direction = 'inbound') THEN ${CANCELLED_NUMBER} ELSE from_number END,
        to_number = CASE WHEN ${phoneMatches('to_number', keys)} OR (${inConversations} AND kind IN ('callback', 'blaster') AND direction = 'outbound') THEN ${CANCELLED_NUMBER} ELSE to_number END,
        ivr_state = ${scrubIvr('ivr_state')}, outcome = ${scrubIvr('outcome')}, updated_at = ${now}
       WHERE ${inConversations} OR ${phoneMatches('from_number', keys)} OR ${phoneMatches('to_number', keys)}`.execute(trx),
  );
  const voicemails = affected(
    await sql`UPDATE voice_voicemails SET from_number = ${CANCELLED_NUMBER}, recording_url = ${PURGED_TEXT}, purged_at = coalesce(purged_at, ${now})
               WHERE ${inConversations} OR ${phoneMatches('from_number', keys)}`.execute(trx),
  );
  const callbacks = affected(
    await sql`UPDATE voice_callbacks SET phone = ${CANCELLED_NUMBER}, name = NULL, note = NULL, updated_at = ${now},
                     status = CASE WHEN status IN ('pending', 'queued') THEN 'cancelled' ELSE status END
               WHERE ${inConversations} OR ${phoneMatches('phone', keys)}`.execute(trx),
  );
  // Unique per list: the placeholder carries the row id.
  const placeholder = sql`${CANCELLED_NUMBER}::text || ':' || id::text`;
  let massRecipients = affected(
    await sql`UPDATE mass_sms_recipients SET phone = ${placeholder}, name = NULL, variables = '{}'::jsonb,
                     error_code = CASE WHEN status = 'pending' THEN 'recipient_opted_out' ELSE error_code END,
                     error = CASE WHEN status = 'pending' THEN ${ARCO_REASON} ELSE error END,
                     status = CASE WHEN status = 'pending' THEN 'opted_out' ELSE status END
               WHERE ${phoneMatches('phone', keys)}`.execute(trx),
  );
  massRecipients += affected(
    await sql`UPDATE mass_mailing_recipients SET email = ${placeholder}, name = NULL, variables = '{}'::jsonb,
                     error = CASE WHEN status = 'pending' THEN ${ARCO_REASON} ELSE error END,
                     status = CASE WHEN status = 'pending' THEN 'suppressed' ELSE status END
               WHERE lower(trim(email)) = ANY(${subject.emails}::text[])`.execute(trx),
  );
  massRecipients += affected(
    await sql`UPDATE voice_blast_recipients SET phone = ${placeholder}, name = NULL, variables = '{}'::jsonb, updated_at = ${now},
                     status = CASE WHEN status = 'pending' THEN 'opted_out' ELSE status END
               WHERE ${phoneMatches('phone', keys)}`.execute(trx),
  );
  return { webchatSessions, calls, voicemails, callbacks, massRecipients };
}
