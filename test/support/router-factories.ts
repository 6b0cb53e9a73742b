import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CampaignRoutingInput, Database, QueueConfigInput } from '@ventanilla/hub';

/** Routing fixtures written straight to the database (the admin API has its own tests). */

export async function createSkill(db: Kysely<Database>, campaignId: string, name = `skill_${randomBytes(3).toString('hex')}`): Promise<string> {
  const row = await db.insertInto('skills').values({ campaign_id: campaignId, name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export interface QueueFixture {
  name?: string;
  priority?: number;
  skills?: Record<string, number>;
  isDefault?: boolean;
  tier?: 1 | 2;
  strategy?: 'longest_idle' | 'least_busy' | 'round_robin';
  maxWaitSeconds?: number;
  overflow?: QueueConfigInput['overflow'];
  afterHours?: QueueConfigInput['afterHours'];
}

export async function createQueue(db: Kysely<Database>, campaignId: string, q: QueueFixture = {}): Promise<string> {
  const row = await db
    .insertInto('queues')
    .values({
      campaign_id: campaignId,
      name: q.name ?? `Fila ${randomBytes(3).toString('hex')}`,
      priority: q.priority ?? 50,
      settings: '{}',
      is_default: q.isDefault ?? false,
      tier: q.tier ?? 1,
      strategy: q.strategy ?? 'longest_idle',
      max_wait_seconds: q.maxWaitSeconds ?? null,
      overflow: JSON.stringify(q.overflow ?? []),
      after_hours: q.afterHours ? JSON.stringify(q.afterHours) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [skillId, level] of Object.entries(q.skills ?? {})) {
    await db.insertInto('queue_skills').values({ queue_id: row.id, skill_id: skillId, min_level: level }).execute();
  }
  return row.id;
}

export async function setAgentSkills(db: Kysely<Database>, userId: string, skills: Record<string, number>): Promise<void> {
  await db.deleteFrom('agent_skills').where('user_id', '=', userId).execute();
  const rows = Object.entries(skills).map(([skillId, level]) => ({ user_id: userId, skill_id: skillId, level }));
  if (rows.length > 0) await db.insertInto('agent_skills').values(rows).execute();
}

export async function setCampaignRouting(db: Kysely<Database>, campaignId: string, routing: Partial<CampaignRoutingInput>): Promise<void> {
  await db.updateTable('campaigns').set({ routing: JSON.stringify(routing) }).where('id', '=', campaignId).execute();
}
