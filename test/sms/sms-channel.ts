import type { Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import type { TwilioHarness } from '../harness/twilio/twilio-harness.js';

export const SMS_FROM = '+525550001000';

/** An SMS channel whose REST client points at the harness and whose public URL is the hub's. */
export async function createSmsChannel(db: Kysely<Database>, campaignId: string, harness: TwilioHarness, hubUrl: string, extra: Record<string, unknown> = {}) {
  return db
    .insertInto('channels')
    .values({
      campaign_id: campaignId,
      kind: 'sms',
      name: 'SMS Twilio',
      settings: JSON.stringify({ accountSid: harness.accountSid, from: SMS_FROM, webhookBaseUrl: hubUrl, apiBaseUrl: harness.url, ...extra }),
      secrets: JSON.stringify({ authToken: harness.authToken }),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
