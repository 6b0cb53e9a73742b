import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AgentSnapshot, ChannelClass, QueueSnapshot, StrategyState, WaitingConversation } from '../core/router.types.js';
import { EMPTY_STRATEGY_STATE } from '../core/router.types.js';
import type { RoutingQueueRow } from './routing-settings.js';

/**
 * Reads what the pure core decides on (router/core/README.md, step 1). Campaign membership is
 * turned into a skill: every queue requires `campaign:<id>` at level 1 and every agent holds it
 * for each campaign they belong to, so the core never offers one campaign's work to another's
 * agents, and skills of a campaign the agent has left do not count.
 */

export const campaignSkill = (campaignId: string): string => `campaign:${campaignId}`;

export function queueSnapshots(queues: ReadonlyMap<string, RoutingQueueRow>): Map<string, QueueSnapshot> {
  const out = new Map<string, QueueSnapshot>();
  for (const q of queues.values()) {
    out.set(q.id, {
      id: q.id,
      priority: q.config.priority,
      requiredSkills: [{ skillId: campaignSkill(q.campaignId), minLevel: 1 }, ...q.config.requiredSkills],
      strategy: q.config.strategy,
    });
  }
  return out;
}

/** Available agents, with their campaign-scoped skills. */
export async function loadAvailableAgents(trx: Transaction<Database>): Promise<AgentSnapshot[]> {
  return loadAgentSnapshots(trx, ['available']);
}

/** Agents in the given states, with their campaign-scoped skills (queue treatment also counts ACW). */
export async function loadAgentSnapshots(trx: Transaction<Database>, states: readonly ('available' | 'after_contact_work')[]): Promise<AgentSnapshot[]> {
  const seats = await trx
    .selectFrom('agent_seats as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.user_id',
      's.state',
      's.load_text',
      's.load_voice',
      's.load_email',
      's.cap_text',
      's.cap_voice',
      's.cap_email',
      's.idle_since',
      's.assigned_today',
      's.assigned_day',
    ])
    .where('s.state', 'in', [...states])
    .where('u.disabled', '=', false)
    .execute();
  if (seats.length === 0) return [];
  const ids = seats.map((s) => s.user_id);
  const [memberships, skills] = await Promise.all([
    trx.selectFrom('user_campaigns').select(['user_id', 'campaign_id']).where('user_id', 'in', ids).execute(),
    trx
      .selectFrom('agent_skills as a')
      .innerJoin('skills as k', 'k.id', 'a.skill_id')
      .innerJoin('user_campaigns as m', (join) => join.onRef('m.user_id', '=', 'a.user_id').onRef('m.campaign_id', '=', 'k.campaign_id'))
      .select(['a.user_id', 'a.skill_id', 'a.level'])
      .where('a.user_id', 'in', ids)
      .execute(),
  ]);
  const skillMaps = new Map<string, Map<string, number>>(ids.map((id) => [id, new Map()]));
  for (const m of memberships) skillMaps.get(m.user_id)?.set(campaignSkill(m.campaign_id), 1);
  for (const s of skills) skillMaps.get(s.user_id)?.set(s.skill_id, s.level);
  const today = new Date().toISOString().slice(0, 10);
  return seats.map((s) => ({
    id: s.user_id,
    skills: skillMaps.get(s.user_id) ?? new Map(),
    capacity: { text: s.cap_text, voice: s.cap_voice, email: s.cap_email },
    load: { text: s.load_text, voice: s.load_voice, email: s.load_email },
    state: s.state === 'after_contact_work' ? 'after_contact_work' : 'available',
    idleSince: s.idle_since.getTime(),
    assignedToday: s.assigned_day !== null && s.assigned_day.toISOString().slice(0, 10) === today ? s.assigned_today : 0,
  }));
}

/** Conversations waiting in a queue, oldest first within each priority. */
export async function loadWaiting(trx: Transaction<Database>, limit: number): Promise<WaitingConversation[]> {
  const rows = await trx
    .selectFrom('conversations')
    .select(['id', 'queue_id', 'channel_class', 'enqueued_at', 'relaxed_levels', 'excluded_agent_ids', 'preferred_agent_id'])
    .where('status', '=', 'queued')
    .where('queue_id', 'is not', null)
    .where('closed_at', 'is', null)
    .orderBy('priority')
    .orderBy('enqueued_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    queueId: r.queue_id as string,
    channelClass: (r.channel_class ?? 'text') as ChannelClass,
    enqueuedAt: (r.enqueued_at ?? new Date(0)).getTime(),
    relaxedLevels: r.relaxed_levels,
    ...(r.excluded_agent_ids.length > 0 ? { excludedAgentIds: new Set(r.excluded_agent_ids) } : {}),
    ...(r.preferred_agent_id !== null ? { preferredAgentId: r.preferred_agent_id } : {}),
  }));
}

const STRATEGY_KEY = 'strategy';

export async function loadStrategyState(trx: Transaction<Database>): Promise<StrategyState> {
  const row = await trx.selectFrom('router_state').select('value').where('key', '=', STRATEGY_KEY).executeTakeFirst();
  const cursor = row?.value['roundRobinCursor'];
  if (cursor === null || typeof cursor !== 'object') return EMPTY_STRATEGY_STATE;
  return { roundRobinCursor: cursor as Record<string, string> };
}

export async function saveStrategyState(trx: Transaction<Database>, state: StrategyState): Promise<void> {
  const value = JSON.stringify({ roundRobinCursor: state.roundRobinCursor });
  await trx
    .insertInto('router_state')
    .values({ key: STRATEGY_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: sql`clock_timestamp()` }))
    .execute();
}
