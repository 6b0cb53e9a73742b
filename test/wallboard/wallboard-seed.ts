import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AgentStateColumn, Database } from '../../hub/src/db/schema.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createQueue, createSkill, setAgentSkills } from '../support/router-factories.js';

/** 2026-03-10 12:00 in Mexico City (UTC−6, no DST since 2022). */
export const NOW = new Date('2026-03-10T18:00:00.000Z');
const MINUTE = 60_000;

export interface SeededBoard {
  campaignId: string;
  q1: string;
  q2: string;
  agents: { a1: string; a2: string; a3: string; a4: string; a5: string };
  folios: string[];
}

async function seat(db: Kysely<Database>, userId: string, state: AgentStateColumn, sinceMs: number, loadText = 0): Promise<void> {
  await db
    .insertInto('agent_seats')
    .values({ user_id: userId, state, state_since: new Date(sinceMs), load_text: loadText, capacity_override: '{}' })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ state, state_since: new Date(sinceMs), load_text: loadText }))
    .execute();
}

async function conversation(db: Kysely<Database>, c: { campaignId: string; channelId: string; queueId: string; status: 'queued' | 'assigned'; enqueuedAt: Date; assignee?: string }): Promise<string> {
  const contact = await db.insertInto('contacts').values({ display_name: 'Ciudadana' }).returning('id').executeTakeFirstOrThrow();
  const folio = `WB-${randomBytes(4).toString('hex')}`;
  await db
    .insertInto('conversations')
    .values({
      folio,
      campaign_id: c.campaignId,
      channel_id: c.channelId,
      contact_id: contact.id,
      status: c.status,
      queue_id: c.queueId,
      assignee_id: c.assignee ?? null,
      channel_class: 'text',
      enqueued_at: c.enqueuedAt,
      opened_at: c.enqueuedAt,
      last_message_at: c.enqueuedAt,
    })
    .execute();
  return folio;
}

/** A finished contact's fact, received `minutesAfter9` after 09:00 local on `day`. */
async function fact(db: Kysely<Database>, f: { campaignId: string; queueId: string; day?: string; minutesAfter9: number; answeredAfterS?: number; abandonedAfterS?: number }): Promise<void> {
  const received = new Date(Date.parse(`${f.day ?? '2026-03-10'}T15:00:00.000Z`) + f.minutesAfter9 * MINUTE);
  const answered = f.answeredAfterS === undefined ? null : new Date(received.getTime() + f.answeredAfterS * 1000);
  const abandoned = f.abandonedAfterS === undefined ? null : new Date(received.getTime() + f.abandonedAfterS * 1000);
  await db
    .insertInto('kpi_contact_facts')
    .values({
      conversation_id: randomUUID(),
      campaign_id: f.campaignId,
      channel_kind: 'api',
      channel_class: 'voice',
      queue_id: f.queueId,
      received_at: received,
      answered_at: answered,
      answer_wait_ms: f.answeredAfterS === undefined ? null : f.answeredAfterS * 1000,
      abandoned_at: abandoned,
      abandon_wait_ms: f.abandonedAfterS === undefined ? null : f.abandonedAfterS * 1000,
      resolved_at: answered ? new Date(answered.getTime() + 3 * MINUTE) : null,
      talk_ms: answered ? 3 * MINUTE : 0,
      hold_ms: 0,
      transfers: 0,
      tier2_transferred: false,
      survey_offered: false,
      survey_answered: false,
      updated_from_event_id: 1,
      contact_id: null,
      opened_at: received,
      first_agent_id: null,
      agent_ids: [],
    })
    .execute();
}

/**
 * The hand-computed board of test/wallboard/wallboard-snapshot.test.ts: two queues, five agents
 * in every state, two contacts in line in Q1, two sessions held by A2, and today's facts.
 */
export async function seedBoard(db: Kysely<Database>): Promise<SeededBoard> {
  const campaignId = (await createCampaign(db, { prefix: 'WB' })).id;
  const { channel } = await createApiChannel(db, campaignId);
  const s1 = await createSkill(db, campaignId, 'tramites');
  const q1 = await createQueue(db, campaignId, { name: 'Trámites', priority: 10, skills: { [s1]: 2 } });
  const q2 = await createQueue(db, campaignId, { name: 'General', priority: 20, isDefault: true });
  const user = async (name: string, level: number) => {
    const u = await createUser(db, { roles: ['agent'], campaignIds: [campaignId], name });
    await setAgentSkills(db, u.id, { [s1]: level });
    return u.id;
  };
  const agents = { a1: await user('Ana', 3), a2: await user('Beto', 1), a3: await user('Carla', 2), a4: await user('Dario', 2), a5: await user('Elena', 2) };
  const now = NOW.getTime();
  await seat(db, agents.a1, 'available', now - 5 * MINUTE);
  await seat(db, agents.a2, 'available', now - 20 * MINUTE, 2);
  await seat(db, agents.a3, 'lunch', now - 12 * MINUTE);
  await seat(db, agents.a4, 'offline', now - 60 * MINUTE);
  await seat(db, agents.a5, 'after_contact_work', now - 30_000);
  const folios = [
    await conversation(db, { campaignId, channelId: channel.id, queueId: q1, status: 'queued', enqueuedAt: new Date(now - 90_000) }),
    await conversation(db, { campaignId, channelId: channel.id, queueId: q1, status: 'queued', enqueuedAt: new Date(now - 30_000) }),
    await conversation(db, { campaignId, channelId: channel.id, queueId: q2, status: 'assigned', enqueuedAt: new Date(now - 8 * MINUTE), assignee: agents.a2 }),
    await conversation(db, { campaignId, channelId: channel.id, queueId: q2, status: 'assigned', enqueuedAt: new Date(now - 6 * MINUTE), assignee: agents.a2 }),
  ];
  // Q1 today: answered after 10 s, 30 s, 20 s; abandoned after 40 s and 5 s. Q2: answered after 4 s.
  await fact(db, { campaignId, queueId: q1, minutesAfter9: 0, answeredAfterS: 10 });
  await fact(db, { campaignId, queueId: q1, minutesAfter9: 10, answeredAfterS: 30 });
  await fact(db, { campaignId, queueId: q1, minutesAfter9: 20, answeredAfterS: 20 });
  await fact(db, { campaignId, queueId: q1, minutesAfter9: 30, abandonedAfterS: 40 });
  await fact(db, { campaignId, queueId: q1, minutesAfter9: 40, abandonedAfterS: 5 });
  await fact(db, { campaignId, queueId: q2, minutesAfter9: 50, answeredAfterS: 4 });
  // Yesterday: not today's figure.
  await fact(db, { campaignId, queueId: q1, day: '2026-03-09', minutesAfter9: 0, answeredAfterS: 100 });
  return { campaignId, q1, q2, agents, folios };
}
