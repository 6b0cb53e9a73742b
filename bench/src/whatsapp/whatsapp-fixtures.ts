import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { migrate, openDatabase, signAccessToken, type Config, type Database } from '@ventanilla/hub';
import { createCampaign, createUser } from '../../../test/support/factories.js';
import type { PaceSetting } from './options.js';

/** A WhatsApp Cloud API channel of the run: its Graph id is what the webhooks and sends name. */
export interface BenchWhatsAppChannel {
  id: string;
  phoneNumberId: string;
  /** The settings' `maxSendsPerSecond`; null: the adapter's default applies. */
  pace: PaceSetting;
}

export interface WhatsAppFixtures {
  appSecret: string;
  /** Receives the webhook load. */
  ackChannel: BenchWhatsAppChannel;
  /** One per outbound phase, so each has its own per-number pace. */
  sendChannels: BenchWhatsAppChannel[];
  /** An agent of the campaign, for the replies. */
  agentToken: string;
}

/** Schema, one campaign, the WhatsApp channels (Graph API → `graph`), one agent with a session. */
export async function prepareWhatsAppFixtures(config: Config, graph: { baseUrl: string; accessToken: string }, paces: PaceSetting[]): Promise<WhatsAppFixtures> {
  const appSecret = randomBytes(16).toString('hex');
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const campaign = await createCampaign(db.kysely, { prefix: 'BWA', name: 'Bench WhatsApp' });
    const channel = async (name: string, phoneNumberId: string, pace: PaceSetting): Promise<BenchWhatsAppChannel> => {
      const row = await db.kysely
        .insertInto('channels')
        .values({
          campaign_id: campaign.id,
          kind: 'whatsapp',
          name,
          settings: JSON.stringify({ phoneNumberId, graphBaseUrl: graph.baseUrl, ...(pace === null ? {} : { maxSendsPerSecond: pace }) }),
          secrets: JSON.stringify({ accessToken: graph.accessToken, appSecret, verifyToken: 'bench-verify-token' }),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: row.id, phoneNumberId, pace };
    };
    const ackChannel = await channel('WhatsApp (webhooks)', '106540352240000', null);
    const sendChannels: BenchWhatsAppChannel[] = [];
    for (const [i, pace] of paces.entries()) sendChannels.push(await channel(`WhatsApp (envíos ${i + 1})`, String(106540352240001 + i), pace));
    const agent = await createUser(db.kysely, { roles: ['agent'], campaignIds: [campaign.id], name: 'Agente de prueba' });
    return { appSecret, ackChannel, sendChannels, agentToken: await sessionToken(db.kysely, agent.id, config.JWT_SECRET) };
  } finally {
    await db.close();
  }
}

/**
 * test/support's tokenFor signs with the tests' JWT secret; the hub children of a bench run use
 * the run's, so the session is opened the same way (a refresh-token family, as a login does)
 * and the access token signed with `jwtSecret`.
 */
async function sessionToken(db: Kysely<Database>, userId: string, jwtSecret: string): Promise<string> {
  const familyId = randomUUID();
  await db
    .insertInto('refresh_tokens')
    .values({ user_id: userId, family_id: familyId, token_hash: createHash('sha256').update(randomBytes(32)).digest('hex'), expires_at: new Date(Date.now() + 3600_000) })
    .execute();
  return signAccessToken(jwtSecret, 3600, { userId, sessionId: familyId });
}
