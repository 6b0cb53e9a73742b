import type { Kysely, Transaction } from 'kysely';
import type { ContactRef } from '@ventanilla/connectors/core';
import { normalizePhone } from '../contacts/identity-normalize.js';
import type { Database } from '../db/schema.js';

export interface OptOut {
  keyword: string;
  at: Date;
}

/**
 * Whether the contact asked this channel to stop writing (SMS ALTO/STOP, issue 6 item 4).
 * Generic on purpose: every channel whose citizens can opt out records it in `sms_opt_outs`,
 * and every send path (agent replies, mass SMS) asks here before calling the provider.
 */
export async function optOutOf(db: Kysely<Database> | Transaction<Database>, channelId: string, to: Pick<ContactRef, 'phone'>): Promise<OptOut | null> {
  const phone = to.phone ? normalizePhone(to.phone) : null;
  if (!phone) return null;
  const row = await db.selectFrom('sms_opt_outs').select(['keyword', 'at']).where('channel_id', '=', channelId).where('phone', '=', phone).executeTakeFirst();
  return row ?? null;
}

/** The Spanish / English reason an agent reads when a send is refused for an opt-out. */
export function optOutReason(optOut: OptOut): string {
  return `el ciudadano envió «${optOut.keyword}» el ${optOut.at.toISOString()} / the citizen sent "${optOut.keyword}" on ${optOut.at.toISOString()}`;
}
