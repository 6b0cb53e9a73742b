import { sql, type Kysely } from 'kysely';
import type { AgentStateColumn, ConversationStatus, Database } from '../db/schema.js';

/**
 * What the router holds right now (router/store, migrations 0003): the line per queue, the seats
 * of the campaign's agents, their skills and open sessions. Read straight from the router's own
 * tables, so the board shows a state change or an enqueue in the same pass that follows it.
 */
export interface LiveQueue {
  readonly id: string;
  readonly name: string;
  /** skill id → minimum level. */
  readonly required: ReadonlyMap<string, number>;
  readonly waiting: number;
  readonly oldestEnqueuedAtMs: number | null;
}

export interface LiveAgent {
  readonly id: string;
  readonly name: string;
  readonly state: AgentStateColumn;
  readonly reason: string | null;
  readonly stateSinceMs: number;
  readonly load: { text: number; voice: number; email: number };
  readonly capacity: { text: number; voice: number; email: number };
  readonly skills: ReadonlyMap<string, number>;
  readonly sessions: { id: string; folio: string; channelKind: string; status: ConversationStatus }[];
}

export interface LiveCampaign {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly queues: readonly LiveQueue[];
  readonly agents: readonly LiveAgent[];
}

const OPEN_SESSION: ConversationStatus[] = ['offered', 'assigned', 'waiting_contact'];

export async function loadLiveCampaign(db: Kysely<Database>, campaignId: string): Promise<LiveCampaign | null> {
  const campaign = await db.selectFrom('campaigns').select(['id', 'name', 'time_zone']).where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) return null;
  const [queues, queueSkills, waiting, arriving, seats, agentSkills, sessions] = await Promise.all([
    db.selectFrom('queues').select(['id', 'name', 'is_default', 'tier', 'priority']).where('campaign_id', '=', campaignId).orderBy('priority').orderBy('name').execute(),
    db
      .selectFrom('queue_skills as qs')
      .innerJoin('queues as q', 'q.id', 'qs.queue_id')
      .select(['qs.queue_id', 'qs.skill_id', 'qs.min_level'])
      .where('q.campaign_id', '=', campaignId)
      .execute(),
    db
      .selectFrom('conversations')
      .select(['queue_id', sql<number>`count(*)::int`.as('waiting'), sql<Date | null>`min(coalesce(enqueued_at, opened_at))`.as('oldest')])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'queued')
      .where('closed_at', 'is', null)
      .where('queue_id', 'is not', null)
      .groupBy('queue_id')
      .execute(),
    // In line but not yet taken in by the router's next pass (queue_id still null).
    db
      .selectFrom('conversations as c')
      .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
      .select([sql<string | null>`min(ch.settings->>'queueId')`.as('named'), sql<number>`count(*)::int`.as('waiting'), sql<Date>`min(c.opened_at)`.as('oldest')])
      .where('c.campaign_id', '=', campaignId)
      .where('c.status', '=', 'queued')
      .where('c.closed_at', 'is', null)
      .where('c.queue_id', 'is', null)
      .groupBy('c.channel_id')
      .execute(),
    db
      .selectFrom('agent_seats as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('user_campaigns as m', 'm.user_id', 's.user_id')
      .select(['s.user_id', 'u.display_name', 's.state', 's.state_since', 's.state_reason', 's.load_text', 's.load_voice', 's.load_email', 's.cap_text', 's.cap_voice', 's.cap_email'])
      .where('m.campaign_id', '=', campaignId)
      .where('u.disabled', '=', false)
      .orderBy('u.display_name')
      .execute(),
    db
      .selectFrom('agent_skills as a')
      .innerJoin('skills as k', 'k.id', 'a.skill_id')
      .select(['a.user_id', 'a.skill_id', 'a.level'])
      .where('k.campaign_id', '=', campaignId)
      .execute(),
    db
      .selectFrom('conversations as c')
      .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
      .select(['c.id', 'c.folio', 'c.status', 'c.assignee_id', 'ch.kind'])
      .where('c.campaign_id', '=', campaignId)
      .where('c.status', 'in', OPEN_SESSION)
      .where('c.closed_at', 'is', null)
      .where('c.assignee_id', 'is not', null)
      .orderBy('c.opened_at')
      .execute(),
  ]);
  const required = new Map<string, Map<string, number>>(queues.map((q) => [q.id, new Map()]));
  for (const r of queueSkills) required.get(r.queue_id)?.set(r.skill_id, r.min_level);
  const skills = new Map<string, Map<string, number>>(seats.map((s) => [s.user_id, new Map()]));
  for (const r of agentSkills) skills.get(r.user_id)?.set(r.skill_id, r.level);
  const line = new Map<string, { waiting: number; oldest: Date | null }>(waiting.map((w) => [w.queue_id as string, { waiting: w.waiting, oldest: w.oldest }]));
  for (const a of arriving) {
    const target = intakeQueue(queues, a.named);
    if (!target) continue;
    const before = line.get(target);
    const oldest = before?.oldest && before.oldest < a.oldest ? before.oldest : a.oldest;
    line.set(target, { waiting: (before?.waiting ?? 0) + a.waiting, oldest });
  }
  return {
    id: campaign.id,
    name: campaign.name,
    timeZone: campaign.time_zone,
    queues: queues.map((q) => ({
      id: q.id,
      name: q.name,
      required: required.get(q.id) ?? new Map(),
      waiting: line.get(q.id)?.waiting ?? 0,
      oldestEnqueuedAtMs: line.get(q.id)?.oldest?.getTime() ?? null,
    })),
    agents: seats.map((s) => ({
      id: s.user_id,
      name: s.display_name,
      state: s.state,
      reason: s.state_reason,
      stateSinceMs: s.state_since.getTime(),
      load: { text: s.load_text, voice: s.load_voice, email: s.load_email },
      capacity: { text: s.cap_text, voice: s.cap_voice, email: s.cap_email },
      skills: skills.get(s.user_id) ?? new Map(),
      sessions: sessions.filter((c) => c.assignee_id === s.user_id).map((c) => ({ id: c.id, folio: c.folio, channelKind: c.kind, status: c.status })),
    })),
  };
}

/**
 * The queue the router's intake will put a new conversation in (router/usecases/intake.usecase.ts
 * `defaultQueueFor`): the channel's named queue, else the campaign's default tier-1 queue, else its
 * most urgent tier-1 queue. The board counts it there from the moment it is opened.
 */
function intakeQueue(queues: readonly { id: string; is_default: boolean; tier: number; priority: number }[], named: string | null): string | undefined {
  if (named !== null && queues.some((q) => q.id === named)) return named;
  const own = queues.filter((q) => q.tier === 1);
  return (own.find((q) => q.is_default) ?? [...own].sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id))[0])?.id;
}

/** The router's eligibility without relaxation: every skill the queue requires, at its level. */
export function servesQueue(agent: LiveAgent, queue: LiveQueue): boolean {
  for (const [skill, level] of queue.required) if ((agent.skills.get(skill) ?? 0) < level) return false;
  return true;
}
