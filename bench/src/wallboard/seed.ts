import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { signAccessToken, type Database } from '@ventanilla/hub';
import { JWT_SECRET } from '../router-db/run-env.js';

export interface BenchCampaign {
  id: string;
  supervisorToken: string;
  agents: { id: string; token: string }[];
}

async function token(db: Kysely<Database>, userId: string): Promise<string> {
  const familyId = randomUUID();
  await db
    .insertInto('refresh_tokens')
    .values({ user_id: userId, family_id: familyId, token_hash: createHash('sha256').update(randomBytes(32)).digest('hex'), expires_at: new Date(Date.now() + 3_600_000) })
    .execute();
  return signAccessToken(JWT_SECRET, 3600, { userId, sessionId: familyId });
}

/** N campaigns, each with `queues` queues, `agents` agents (offline) and one supervisor; straight to the database. */
export async function seedCampaigns(db: Kysely<Database>, campaigns: number, queues: number, agents: number): Promise<BenchCampaign[]> {
  const out: BenchCampaign[] = [];
  for (let c = 0; c < campaigns; c += 1) {
    const tag = randomBytes(3).toString('hex');
    const campaign = await db.insertInto('campaigns').values({ slug: `wb-${tag}`, name: `Campaña ${c + 1}`, folio_prefix: `WB${String.fromCharCode(65 + Math.floor(c / 26))}${String.fromCharCode(65 + (c % 26))}`, settings: '{}' }).returning('id').executeTakeFirstOrThrow();
    for (let q = 0; q < queues; q += 1) {
      await db.insertInto('queues').values({ campaign_id: campaign.id, name: `Fila ${q + 1}`, priority: 10 + q, settings: '{}', is_default: q === 0 }).execute();
    }
    const users = await db
      .insertInto('users')
      .values(Array.from({ length: agents + 1 }, (_, i) => ({ email: `wb-${tag}-${i}@bench.mx`, display_name: i === 0 ? 'Supervisor' : `Agente ${i}`, password_hash: 'x', roles: i === 0 ? ['supervisor' as const] : ['agent' as const] })))
      .returning('id')
      .execute();
    await db.insertInto('user_campaigns').values(users.map((u) => ({ user_id: u.id, campaign_id: campaign.id }))).execute();
    const [supervisor, ...rest] = users;
    out.push({ id: campaign.id, supervisorToken: await token(db, supervisor!.id), agents: await Promise.all(rest.map(async (u) => ({ id: u.id, token: await token(db, u.id) }))) });
  }
  return out;
}
