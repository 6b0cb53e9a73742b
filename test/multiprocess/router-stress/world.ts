import type { Kysely } from 'kysely';
import { syncAgentSeats, type Database } from '@ventanilla/hub';
import { tokenFor } from '../../support/auth.js';
import { createApiChannel, createCampaign, createUser } from '../../support/factories.js';
import { createQueue, createSkill, setAgentSkills, setCampaignRouting, type QueueFixture } from '../../support/router-factories.js';
import type { Rng } from './prng.js';

/**
 * The routing world of the stress test: two campaigns, skills, overlapping queues with different
 * priorities and strategies (one relaxes its levels after a few seconds, one moves to another
 * queue, one has a maximum wait), one API channel per queue, ~30 agents with varied skills (a
 * third in both campaigns) and capacities 2–4 (campaign defaults and per-agent overrides), and a
 * supervisor of both campaigns. Capacities stay fixed for the whole run, so the capacity audit
 * can compare against one number per agent.
 */

export interface StressQueue {
  key: string;
  id: string;
  campaignId: string;
  channelId: string;
  secret: string;
  /** Share of the arrivals. */
  weight: number;
}

export interface StressAgent {
  index: number;
  id: string;
  token: string;
  campaignIds: string[];
  capText: number;
}

export interface StressWorld {
  campaigns: { a: string; b: string };
  queues: StressQueue[];
  agents: StressAgent[];
  supervisor: { id: string; token: string };
}

export async function buildWorld(db: Kysely<Database>, rng: Rng, agentCount = 30): Promise<StressWorld> {
  const a = (await createCampaign(db, { slug: 'stress-pensiones', name: 'Pensiones', prefix: 'PEN' })).id;
  const b = (await createCampaign(db, { slug: 'stress-salud', name: 'Salud', prefix: 'SAL' })).id;
  // Text capacity 3 in A, 4 in B: an agent of both holds min(3, 4) = 3 unless overridden.
  await setCampaignRouting(db, a, { offerTimeoutSeconds: 5, afterContactWorkMaxSeconds: 1, capacity: { text: 3, voice: 1, email: 10 } });
  await setCampaignRouting(db, b, { offerTimeoutSeconds: 5, afterContactWorkMaxSeconds: 0, capacity: { text: 4, voice: 1, email: 10 } });

  const skill = {
    general: await createSkill(db, a, 'general'),
    tramites: await createSkill(db, a, 'tramites'),
    pagos: await createSkill(db, a, 'pagos'),
    citas: await createSkill(db, b, 'citas'),
    urgencias: await createSkill(db, b, 'urgencias'),
  };

  const queueDefs: { key: string; campaignId: string; weight: number; fixture: QueueFixture }[] = [
    { key: 'A-general', campaignId: a, weight: 25, fixture: { name: 'General', priority: 50, isDefault: true, skills: { [skill.general]: 1 }, strategy: 'longest_idle' } },
    {
      key: 'A-tramites',
      campaignId: a,
      weight: 20,
      // Level 3 at first; after 3 s anyone with the skill at level 1 will do.
      fixture: { name: 'Trámites', priority: 20, skills: { [skill.tramites]: 3, [skill.general]: 1 }, strategy: 'least_busy', overflow: [{ trigger: { afterSeconds: 3 }, action: { relaxLevels: 2 } }] },
    },
    { key: 'A-pagos', campaignId: a, weight: 15, fixture: { name: 'Pagos', priority: 40, skills: { [skill.pagos]: 2, [skill.general]: 2 }, strategy: 'round_robin' } },
    { key: 'B-citas', campaignId: b, weight: 25, fixture: { name: 'Citas', priority: 50, isDefault: true, skills: { [skill.citas]: 1 }, strategy: 'longest_idle' } },
    {
      key: 'B-urgencias',
      campaignId: b,
      weight: 15,
      fixture: { name: 'Urgencias', priority: 10, skills: { [skill.urgencias]: 4 }, strategy: 'least_busy', maxWaitSeconds: 12, overflow: [{ trigger: { afterSeconds: 4 }, action: { relaxLevels: 3 } }] },
    },
  ];
  const queues: StressQueue[] = [];
  for (const def of queueDefs) {
    const id = await createQueue(db, def.campaignId, def.fixture);
    const { channel, secret } = await createApiChannel(db, def.campaignId, { name: `API ${def.key}` });
    await db.updateTable('channels').set({ settings: JSON.stringify({ queueId: id }) }).where('id', '=', channel.id).execute();
    queues.push({ key: def.key, id, campaignId: def.campaignId, channelId: channel.id, secret, weight: def.weight });
  }
  // Pagos overflows into General after 6 s (a queue move; its own clock starts again there).
  const pagos = queueByKey(queues, 'A-pagos');
  const general = queueByKey(queues, 'A-general');
  await db
    .updateTable('queues')
    .set({ overflow: JSON.stringify([{ trigger: { afterSeconds: 6 }, action: { moveToQueueId: general.id } }]) })
    .where('id', '=', pagos.id)
    .execute();

  const level = (p: number): number | undefined => (rng.chance(p) ? rng.int(1, 5) : undefined);
  const agents: StressAgent[] = await Promise.all(
    Array.from({ length: agentCount }, (_, index) => {
      // A third in A only, a third in B only, a third in both.
      const inA = index % 3 !== 1;
      const inB = index % 3 !== 0;
      const skills: Record<string, number> = {};
      const put = (id: string, l: number | undefined) => {
        if (l !== undefined) skills[id] = l;
      };
      if (inA) {
        put(skill.general, level(0.9));
        put(skill.tramites, level(0.5));
        put(skill.pagos, level(0.45));
      }
      if (inB) {
        put(skill.citas, level(0.9));
        put(skill.urgencias, level(0.45));
      }
      const override = index % 5 === 0 ? { text: 2 } : index % 7 === 3 ? { text: 4 } : {};
      return { index, inA, inB, skills, override };
    }).map(async (spec) => {
      const campaignIds = [...(spec.inA ? [a] : []), ...(spec.inB ? [b] : [])];
      const user = await createUser(db, { roles: ['agent'], campaignIds, name: `Agente ${spec.index}` });
      await setAgentSkills(db, user.id, spec.skills);
      await db
        .insertInto('agent_seats')
        .values({ user_id: user.id, capacity_override: JSON.stringify(spec.override) })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ capacity_override: JSON.stringify(spec.override) }))
        .execute();
      return { index: spec.index, id: user.id, token: await tokenFor(db, user.id), campaignIds, capText: 0 };
    }),
  );
  await syncAgentSeats(db, agents.map((x) => x.id));
  const seats = await db.selectFrom('agent_seats').select(['user_id', 'cap_text']).execute();
  for (const agent of agents) agent.capText = seats.find((s) => s.user_id === agent.id)?.cap_text ?? -1;

  const sup = await createUser(db, { roles: ['supervisor'], campaignIds: [a, b], name: 'Supervisora' });
  return { campaigns: { a, b }, queues, agents, supervisor: { id: sup.id, token: await tokenFor(db, sup.id) } };
}

export function queueByKey(queues: readonly StressQueue[], key: string): StressQueue {
  const q = queues.find((x) => x.key === key);
  if (!q) throw new Error(`no queue ${key}`);
  return q;
}
