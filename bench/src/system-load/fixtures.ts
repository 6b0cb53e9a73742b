import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { migrate, openDatabase, signAccessToken, syncAgentSeats, type Config, type Database } from '@ventanilla/hub';

/** The page embedding the widget (the web chat channels' only allowed origin). */
export const BENCH_ORIGIN = 'https://www.gob.mx';

export interface LoadAgent {
  userId: string;
  token: string;
}

export interface LoadChannels {
  whatsapp: { id: string; phoneNumberId: string; appSecret: string };
  webchat: string[];
  sms: { id: string; accountSid: string; authToken: string; number: string };
  email: { id: string; address: string };
  voice: { id: string; accountSid: string; authToken: string; number: string };
}

export interface LoadWorld {
  campaignIds: string[];
  agents: LoadAgent[];
  channels: LoadChannels;
  /** Bearer token the Graph API double expects. */
  graphToken: string;
}

/**
 * The world of the system load test, in the run's own schema: two campaigns as in the seed
 * (Derechohabientes: WhatsApp, a web chat and the phone line; Contribuyentes: a web chat, SMS and
 * e-mail), each with a skill and a default queue requiring it; `agents` agents (3 of 5 in the
 * first campaign, the rest in the second, every tenth in both) holding the skill at levels 1–5,
 * available, with a live session each. Voice capacity is 0: the simulated calls exercise the IVR
 * and the voice webhooks, not an agent's softphone (there is no media in a benchmark).
 */
export async function prepareLoadWorld(config: Config, input: { agents: number; textSessions: number; providerUrl: string; smtpPort: number }): Promise<LoadWorld> {
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const k = db.kysely;
    const routing = JSON.stringify({
      capacity: { text: input.textSessions, voice: 0, email: 10 },
      // The simulated agents resolve and take the next one at once; RONA well above their think time.
      afterContactWorkMaxSeconds: 0,
      offerTimeoutSeconds: 30,
      autoLogoutMinutes: 240,
    });
    const campaignIds: string[] = [];
    for (const [slug, name, prefix] of [
      ['derechohabientes', 'Derechohabientes', 'DER'],
      ['contribuyentes', 'Contribuyentes', 'CON'],
    ] as const) {
      const campaign = await k.insertInto('campaigns').values({ slug, name, folio_prefix: prefix, settings: '{}', routing }).returning('id').executeTakeFirstOrThrow();
      const skill = await k.insertInto('skills').values({ campaign_id: campaign.id, name: 'atención general' }).returning('id').executeTakeFirstOrThrow();
      const queue = await k
        .insertInto('queues')
        .values({ campaign_id: campaign.id, name: 'General', priority: 50, settings: '{}', is_default: true, strategy: 'longest_idle' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await k.insertInto('queue_skills').values({ queue_id: queue.id, skill_id: skill.id, min_level: 1 }).execute();
      campaignIds.push(campaign.id);
    }
    const [der, con] = campaignIds as [string, string];
    const channels = await seedChannels(k, { der, con, providerUrl: input.providerUrl, smtpPort: input.smtpPort });
    const agents = await seedAgents(k, config.JWT_SECRET, input.agents, campaignIds);
    return { campaignIds, agents, channels: channels.channels, graphToken: channels.graphToken };
  } finally {
    await db.close();
  }
}

async function seedChannels(k: Kysely<Database>, input: { der: string; con: string; providerUrl: string; smtpPort: number }): Promise<{ channels: LoadChannels; graphToken: string }> {
  const insert = async (campaignId: string, kind: string, name: string, settings: object, secrets: object) =>
    (
      await k
        .insertInto('channels')
        .values({ campaign_id: campaignId, kind, name, settings: JSON.stringify(settings), secrets: JSON.stringify(secrets), enabled: true })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const graphToken = `EAAG${randomBytes(16).toString('hex')}`;
  const appSecret = randomBytes(16).toString('hex');
  const phoneNumberId = '106540352249999';
  const whatsapp = await insert(input.der, 'whatsapp', 'WhatsApp Derechohabientes', { phoneNumberId, graphBaseUrl: input.providerUrl }, { accessToken: graphToken, appSecret, verifyToken: 'bench-verify-token' });
  const webchatSettings = { allowedOrigins: [BENCH_ORIGIN], captcha: { kind: 'none' } };
  const webchat = [await insert(input.der, 'webchat', 'Chat web Derechohabientes', webchatSettings, {}), await insert(input.con, 'webchat', 'Chat web Contribuyentes', webchatSettings, {})];
  const smsAccount = { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex'), number: '+525550001000' };
  const sms = await insert(input.con, 'sms', 'SMS Contribuyentes', { accountSid: smsAccount.accountSid, from: smsAccount.number, apiBaseUrl: input.providerUrl, statusCallback: false }, { authToken: smsAccount.authToken });
  const address = 'atencion@contribuyentes.example.gob.mx';
  // IMAP points at a closed port: the load test hands mail to ingest as the IMAP reader does (see run-citizens.ts).
  const email = await insert(
    input.con,
    'email',
    'Correo Contribuyentes',
    { address, imap: { host: '127.0.0.1', port: 9, secure: false, user: 'bench' }, smtp: { host: '127.0.0.1', port: input.smtpPort, secure: false }, autoAck: { enabled: false } },
    { imapPassword: 'bench-not-used' },
  );
  const voiceAccount = { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex'), number: '+528000001000' };
  const voice = await insert(input.der, 'voice', 'Línea 800 Derechohabientes', { accountSid: voiceAccount.accountSid, callerId: voiceAccount.number, apiBaseUrl: input.providerUrl, recording: false, survey: false }, { authToken: voiceAccount.authToken });
  return {
    graphToken,
    channels: {
      whatsapp: { id: whatsapp, phoneNumberId, appSecret },
      webchat,
      sms: { id: sms, ...smsAccount },
      email: { id: email, address },
      voice: { id: voice, ...voiceAccount },
    },
  };
}

async function seedAgents(k: Kysely<Database>, jwtSecret: string, count: number, campaignIds: string[]): Promise<LoadAgent[]> {
  const [der, con] = campaignIds as [string, string];
  const userIds = Array.from({ length: count }, () => randomUUID());
  const familyIds = Array.from({ length: count }, () => randomUUID());
  await sql`
    INSERT INTO users (id, email, display_name, password_hash, roles)
    SELECT id, 'agente-' || n || '@carga.example.mx', 'Agente ' || n, 'not-a-password-hash', ARRAY['agent']::text[]
      FROM unnest(${userIds}::uuid[]) WITH ORDINALITY AS t(id, n)`.execute(k);
  // 3 of 5 agents in Derechohabientes (WhatsApp and most chats), 2 of 5 in Contribuyentes, every tenth in both.
  await sql`
    INSERT INTO user_campaigns (user_id, campaign_id)
    SELECT id, CASE WHEN n % 5 < 3 THEN ${der}::uuid ELSE ${con}::uuid END FROM unnest(${userIds}::uuid[]) WITH ORDINALITY AS t(id, n)
    UNION ALL
    SELECT id, CASE WHEN n % 5 < 3 THEN ${con}::uuid ELSE ${der}::uuid END FROM unnest(${userIds}::uuid[]) WITH ORDINALITY AS t(id, n) WHERE n % 10 = 0`.execute(k);
  await sql`
    INSERT INTO agent_skills (user_id, skill_id, level)
    SELECT uc.user_id, s.id, 1 + (abs(hashtext(uc.user_id::text)) % 5) FROM user_campaigns uc JOIN skills s ON s.campaign_id = uc.campaign_id`.execute(k);
  await sql`
    INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
    SELECT uid, fid, encode(sha256(convert_to(fid::text, 'UTF8')), 'hex'), now() + interval '4 hours'
      FROM unnest(${userIds}::uuid[], ${familyIds}::uuid[]) AS t(uid, fid)`.execute(k);
  await syncAgentSeats(k);
  await sql`UPDATE agent_seats SET state = 'available', state_since = now(), last_activity_at = now(), idle_since = now()`.execute(k);
  for (const table of ['users', 'user_campaigns', 'agent_skills', 'refresh_tokens', 'agent_seats']) await sql`ANALYZE ${sql.table(table)}`.execute(k);
  const tokens = await Promise.all(userIds.map((userId, i) => signAccessToken(jwtSecret, 4 * 3600, { userId, sessionId: familyIds[i] ?? '' })));
  return userIds.map((userId, i) => ({ userId, token: tokens[i] ?? '' }));
}
