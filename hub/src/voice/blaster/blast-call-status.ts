import { sql, type Kysely } from 'kysely';
import type { Database, VoiceBlastRecipient } from '../../db/schema.js';

/**
 * A blaster leg's final status → its recipient (issue 8 item 7): the leg no longer counts against
 * max simultaneous; a recipient still `calling` (nobody answered the TwiML request) becomes
 * no_answer / busy — or pending again with `next_attempt_at` while attempts remain — failed, or
 * machine / answered by AnsweredBy. What a person pressed (confirmed, transferred…) stays.
 */
export async function applyFinalStatus(
  db: Kysely<Database>,
  input: { recipientId: string; callSid: string; channelId: string; status: string; answeredBy: string; errorCode: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('voice_blast_recipients as r')
      .innerJoin('voice_blasts as b', 'b.id', 'r.blast_id')
      .select(['r.id', 'r.status', 'r.attempts', 'r.call_sid', 'b.channel_id', 'b.max_attempts', 'b.retry_delay_seconds'])
      .where('r.id', '=', input.recipientId)
      .forUpdate('r')
      .executeTakeFirst();
    if (!row || row.call_sid !== input.callSid || row.channel_id !== input.channelId) return false;
    const next = outcomeOf(row.status, input.status, input.answeredBy, row.attempts < row.max_attempts);
    const retry = next.status === 'pending';
    await trx
      .updateTable('voice_blast_recipients')
      .set({
        in_call: false,
        status: next.status,
        ...(next.error ? { last_error: input.errorCode ? `${next.error} (Twilio ${input.errorCode})` : next.error } : {}),
        ...(retry ? { next_attempt_at: sql`now() + make_interval(secs => ${row.retry_delay_seconds})` } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', row.id)
      .execute();
    return true;
  });
}

const NOT_REACHED: Record<string, { final: VoiceBlastRecipient['status']; error: string }> = {
  'no-answer': { final: 'no_answer', error: 'no contestó / no answer' },
  busy: { final: 'busy', error: 'ocupado / busy' },
};

export function outcomeOf(current: VoiceBlastRecipient['status'], callStatus: string, answeredBy: string, attemptsLeft: boolean): { status: VoiceBlastRecipient['status']; error?: string } {
  if (current !== 'calling') return { status: current };
  const missed = NOT_REACHED[callStatus];
  if (missed) return attemptsLeft ? { status: 'pending', error: missed.error } : { status: missed.final, error: missed.error };
  if (callStatus === 'failed' || callStatus === 'canceled') return { status: 'failed', error: `la llamada falló / the call failed: ${callStatus}` };
  return { status: /^(machine_|fax)/.test(answeredBy) ? 'machine' : 'answered' };
}
