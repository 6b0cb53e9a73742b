import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { voiceChannelSettingsSchema } from '@ventanilla/connectors';
import { demoIvrTree, validateIvrTree } from '@ventanilla/voice-bridge';
import type { Database } from '../db/schema.js';

export interface DemoVoiceChannel {
  id: string;
  campaign: string;
  accountSid: string;
  authToken: string;
}

/**
 * A Twilio Voice channel on every demo campaign (issue 8), with the demo IVR in production, so
 * `npm run demo` answers calls from the Twilio Voice harness (or a real number pointed at it).
 * The account SID is fake (derived from the campaign, so restarts keep it) and the auth token
 * random per installation; a real number needs the channel's settings and secret replaced.
 * Run on every start: a demo seeded before voice existed gains the channels; nothing is changed
 * on a campaign that already has a voice channel or an IVR.
 */
export async function seedDemoVoice(db: Kysely<Database>): Promise<DemoVoiceChannel[]> {
  const campaigns = await db.selectFrom('campaigns').select(['id', 'name', 'slug']).orderBy('slug').execute();
  const checked = validateIvrTree(demoIvrTree);
  if (!checked.ok) throw new Error('the demo IVR tree does not validate');
  const result: DemoVoiceChannel[] = [];
  for (const campaign of campaigns) {
    let channel = await db.selectFrom('channels').select(['id', 'settings', 'secrets']).where('campaign_id', '=', campaign.id).where('kind', '=', 'voice').orderBy('created_at').executeTakeFirst();
    if (!channel) {
      const settings = voiceChannelSettingsSchema.parse({
        accountSid: `AC${createHash('sha256').update(`demo-voice:${campaign.slug}`).digest('hex').slice(0, 32)}`,
        callerId: '+528006232323',
      });
      channel = await db
        .insertInto('channels')
        .values({
          campaign_id: campaign.id,
          kind: 'voice',
          name: `Teléfono — ${campaign.name}`,
          settings: JSON.stringify(settings),
          secrets: JSON.stringify({ authToken: randomBytes(16).toString('hex') }),
        })
        .returning(['id', 'settings', 'secrets'])
        .executeTakeFirstOrThrow();
    }
    const hasIvr = await db.selectFrom('ivr_models').select('id').where('campaign_id', '=', campaign.id).limit(1).executeTakeFirst();
    if (!hasIvr) {
      await db
        .insertInto('ivr_models')
        .values({ campaign_id: campaign.id, version: 1, status: 'production', tree: JSON.stringify(checked.tree), note: 'IVR de demostración', promoted_at: new Date() })
        .execute();
    }
    const settings = voiceChannelSettingsSchema.safeParse(channel.settings);
    const authToken = channel.secrets['authToken'];
    if (settings.success && typeof authToken === 'string') result.push({ id: channel.id, campaign: campaign.name, accountSid: settings.data.accountSid, authToken });
  }
  return result;
}
