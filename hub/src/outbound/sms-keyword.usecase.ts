import type { Kysely } from 'kysely';
import type { InboundMessageEvent } from '@ventanilla/connectors/core';
import { smsKeywordOf } from '@ventanilla/connectors';
import { normalizePhone } from '../contacts/identity-normalize.js';
import type { Database } from '../db/schema.js';

export type SmsKeywordOutcome = 'opted_out' | 'opted_in' | 'none';

/**
 * Two-way keywords of an SMS channel, applied after the message itself is stored (nothing is
 * lost: the agent still sees "ALTO" in the conversation). ALTO/STOP/BAJA/CANCELAR/UNSUBSCRIBE
 * opt the number out of this channel; START/ALTA/REANUDAR opt it back in. SÍ/NO are not
 * handled here: the adapter stores them as choices (`interactive`, replyId yes/no) for the
 * flows that ask a question (appointments).
 */
export async function applySmsKeyword(db: Kysely<Database>, channelId: string, event: InboundMessageEvent): Promise<SmsKeywordOutcome> {
  if (event.content.type !== 'text') return 'none';
  const keyword = smsKeywordOf(event.content.text);
  if (keyword !== 'opt_out' && keyword !== 'opt_in') return 'none';
  const phone = event.contact.phone ? normalizePhone(event.contact.phone) : null;
  if (!phone) return 'none';
  if (keyword === 'opt_in') {
    await db.deleteFrom('sms_opt_outs').where('channel_id', '=', channelId).where('phone', '=', phone).execute();
    return 'opted_in';
  }
  const word = event.content.text.trim().slice(0, 40);
  await db
    .insertInto('sms_opt_outs')
    .values({ channel_id: channelId, phone, keyword: word, at: new Date(event.occurredAt) })
    .onConflict((oc) => oc.columns(['channel_id', 'phone']).doUpdateSet({ keyword: word, at: new Date(event.occurredAt) }))
    .execute();
  return 'opted_out';
}
