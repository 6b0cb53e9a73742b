import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { migrate, openDatabase, signAccessToken, syncAgentSeats, type Config } from '@ventanilla/hub';
import { analyze } from './storm-seed.js';
import { ID_KIND, worldUuid } from './storm-world.js';

/**
 * The live hub's world: one campaign (offers stay pending for the run: 120 s before RONA), its API
 * channel, a skill, a default queue requiring it, `agents` agents holding it at levels 1–5, all
 * available with room, and an observer (a supervisor of the campaign) whose socket joins the
 * campaign room and so sees every message.created and conversation.offered of the campaign.
 */
export interface LiveFixtures {
  campaignId: string;
  channelId: string;
  secret: string;
  queueId: string;
  observerToken: string;
}

export async function prepareLiveWorld(config: Config, agents: number): Promise<LiveFixtures> {
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const k = db.kysely;
    const secret = randomBytes(24).toString('hex');
    const campaign = await k
      .insertInto('campaigns')
      .values({ slug: 'live-router', name: 'Enrutador en vivo', folio_prefix: 'LRT', settings: '{}', routing: JSON.stringify({ offerTimeoutSeconds: 120, autoLogoutMinutes: 240 }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const channel = await k
      .insertInto('channels')
      .values({ campaign_id: campaign.id, kind: 'api', name: 'API', settings: '{}', secrets: JSON.stringify({ signingSecret: secret }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const skill = await k.insertInto('skills').values({ campaign_id: campaign.id, name: 'general' }).returning('id').executeTakeFirstOrThrow();
    const queue = await k
      .insertInto('queues')
      .values({ campaign_id: campaign.id, name: 'General', priority: 50, settings: '{}', is_default: true, strategy: 'longest_idle' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await k.insertInto('queue_skills').values({ queue_id: queue.id, skill_id: skill.id, min_level: 1 }).execute();

    const ids = Array.from({ length: agents }, (_, i) => worldUuid(ID_KIND.agent, i));
    await sql`
      INSERT INTO users (id, email, display_name, password_hash, roles)
      SELECT id, 'agente-' || n || '@live.example.mx', 'Agente ' || n, 'not-a-password-hash', ARRAY['agent']::text[]
        FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS t(id, n)`.execute(k);
    await sql`INSERT INTO user_campaigns (user_id, campaign_id) SELECT id, ${campaign.id}::uuid FROM unnest(${ids}::uuid[]) AS t(id)`.execute(k);
    await sql`
      INSERT INTO agent_skills (user_id, skill_id, level)
      SELECT id, ${skill.id}::uuid, 1 + (n % 5) FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS t(id, n)`.execute(k);
    await syncAgentSeats(k);
    await sql`
      UPDATE agent_seats SET state = 'available', state_since = now(), last_activity_at = now(),
                             idle_since = now() - ((hashtext(user_id::text) & 65535) * interval '50 milliseconds')`.execute(k);

    const observer = await k
      .insertInto('users')
      .values({ email: 'supervisor@live.example.mx', display_name: 'Supervisora', password_hash: 'not-a-password-hash', roles: ['supervisor'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    await k.insertInto('user_campaigns').values({ user_id: observer.id, campaign_id: campaign.id }).execute();
    const familyId = randomUUID();
    await k
      .insertInto('refresh_tokens')
      .values({
        user_id: observer.id,
        family_id: familyId,
        token_hash: createHash('sha256').update(randomBytes(32)).digest('hex'),
        expires_at: new Date(Date.now() + 3_600_000),
      })
      .execute();
    const observerToken = await signAccessToken(config.JWT_SECRET, 3600, { userId: observer.id, sessionId: familyId });
    await analyze(k);
    return { campaignId: campaign.id, channelId: channel.id, secret, queueId: queue.id, observerToken };
  } finally {
    await db.close();
  }
}
