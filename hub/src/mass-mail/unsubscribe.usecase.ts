import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { verifyUnsubscribeToken, type UnsubscribeClaims } from './unsubscribe-token.js';

export interface UnsubscribeTarget extends UnsubscribeClaims {
  campaignName: string;
}

/** The campaign and address a token names, or null for a token that is not genuine (or a campaign gone). */
export async function resolveUnsubscribe(db: Kysely<Database>, secret: string, token: string): Promise<UnsubscribeTarget | null> {
  const claims = verifyUnsubscribeToken(secret, token);
  if (!claims) return null;
  const campaign = await db.selectFrom('campaigns').select('name').where('id', '=', claims.campaignId).executeTakeFirst();
  return campaign ? { ...claims, campaignName: campaign.name } : null;
}

/**
 * Puts the address on the campaign's suppression list: later mailings skip it at upload and at
 * send time. An earlier reason (a hard bounce, a complaint) is kept — the address stays out either way.
 */
export async function recordUnsubscribe(db: Kysely<Database>, target: UnsubscribeClaims, detail: string): Promise<void> {
  await db
    .insertInto('email_suppressions')
    .values({ campaign_id: target.campaignId, email: target.email.toLowerCase(), reason: 'unsubscribed', detail: detail.slice(0, 1000) })
    .onConflict((oc) => oc.columns(['campaign_id', 'email']).doNothing())
    .execute();
}

/**
 * The token of a List-Unsubscribe mailto (`subject=unsubscribe <token>`, mass-mail-message.ts), for
 * whoever reads the channel's mailbox: null when the subject is not one.
 */
export function unsubscribeTokenInSubject(subject: string): string | null {
  return /^\s*unsubscribe\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(subject)?.[1] ?? null;
}
