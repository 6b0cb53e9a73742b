import { sql, type Kysely, type Transaction } from 'kysely';
import type { AgentSeat, AgentStateColumn, Database } from '../../db/schema.js';
import { appendEvents } from '../../domain/interaction-events.js';
import { HubError } from '../../errors/error-registry.js';
import { writeOutbox, type OutboxRow } from '../../outbox/outbox.js';
import { rooms } from '../../realtime/events.contract.js';
import { CAPACITY_LIMITS, type ChannelCapacity } from '../config/campaign-routing.schema.js';
import { type CHANNEL_CLASSES, type AgentState } from '../core/router.types.js';
import { loadCampaignRouting } from './routing-settings.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Agent seats (migrations/0003_router.sql): one per agent, with state, load counters and the
 * effective capacity the router claims against.
 */

/** Aux states an agent may choose (issue 3 item 2); `after_contact_work` is entered by the router. */
export const AUX_STATES = ['lunch', 'training', 'coaching', 'personal', 'not_ready'] as const satisfies readonly AgentState[];
export const SELECTABLE_STATES = ['available', ...AUX_STATES, 'offline'] as const satisfies readonly AgentState[];
export type SelectableState = (typeof SELECTABLE_STATES)[number];

/**
 * Capacity of a seat: a per-agent override where given, else the strictest default among the
 * campaigns the agent serves (a seat shared by a 5-chat and a 4-chat campaign holds 4), else the
 * product defaults.
 */
export function seatCapacity(campaignDefaults: readonly ChannelCapacity[], override: Partial<ChannelCapacity>): ChannelCapacity {
  const pick = (cls: keyof ChannelCapacity): number => {
    const own = override[cls];
    if (own !== undefined) return own;
    if (campaignDefaults.length === 0) return CAPACITY_LIMITS[cls].default;
    return Math.min(...campaignDefaults.map((c) => c[cls]));
  };
  return { text: pick('text'), voice: pick('voice'), email: pick('email') };
}

/**
 * Creates missing seats for agents and recomputes the effective capacity of the given users (all
 * agents when omitted). Call after a change of membership, campaign routing or override.
 */
export async function syncAgentSeats(db: Db, userIds?: readonly string[]): Promise<void> {
  if (userIds !== undefined && userIds.length === 0) return;
  let usersQuery = db.selectFrom('users').select(['id']).where(sql<boolean>`'agent' = ANY(roles)`);
  if (userIds !== undefined) usersQuery = usersQuery.where('id', 'in', [...userIds]);
  const agents = await usersQuery.execute();
  if (agents.length === 0) return;
  const ids = agents.map((a) => a.id);
  await db
    .insertInto('agent_seats')
    .values(ids.map((id) => ({ user_id: id, capacity_override: '{}' })))
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  const [seats, memberships] = await Promise.all([
    db.selectFrom('agent_seats').select(['user_id', 'capacity_override', 'cap_text', 'cap_voice', 'cap_email']).where('user_id', 'in', ids).execute(),
    db.selectFrom('user_campaigns').select(['user_id', 'campaign_id']).where('user_id', 'in', ids).execute(),
  ]);
  const routing = await loadCampaignRouting(
    db,
    memberships.map((m) => m.campaign_id),
  );
  for (const seat of seats) {
    const defaults = memberships.filter((m) => m.user_id === seat.user_id).flatMap((m) => routing.get(m.campaign_id)?.capacity ?? []);
    const cap = seatCapacity(defaults, seat.capacity_override);
    if (cap.text === seat.cap_text && cap.voice === seat.cap_voice && cap.email === seat.cap_email) continue;
    await db
      .updateTable('agent_seats')
      .set({ cap_text: cap.text, cap_voice: cap.voice, cap_email: cap.email, updated_at: sql`clock_timestamp()` })
      .where('user_id', '=', seat.user_id)
      .execute();
  }
}

export interface StateChange {
  agentId: string;
  from: AgentStateColumn;
  to: AgentStateColumn;
  reason: string | null;
  at: Date;
  outbox: OutboxRow[];
}

export interface SetStateOptions {
  to: AgentStateColumn;
  reason?: string | null;
  actor: { type: 'agent' | 'system'; id: string };
  /** Only change if the seat is in one of these states now (compare-and-set for timers). */
  onlyFrom?: readonly AgentStateColumn[];
  /** Only change if the state started at this instant (ACW timer of one specific ACW period). */
  onlyIfStateSince?: Date;
}

/**
 * Changes an agent's state with its events (one per campaign the agent serves: KPIs and billing
 * are per campaign) and realtime notification, in the caller's transaction. Returns null when
 * nothing changed (same state, or a compare-and-set condition did not hold).
 */
export async function setAgentState(trx: Transaction<Database>, agentId: string, options: SetStateOptions): Promise<StateChange | null> {
  const seat = await trx.selectFrom('agent_seats').selectAll().where('user_id', '=', agentId).forUpdate().executeTakeFirst();
  if (!seat) throw new HubError('HUB_ERR_AGENT_NOT_AGENT');
  if (options.onlyFrom && !options.onlyFrom.includes(seat.state)) return null;
  if (options.onlyIfStateSince && seat.state_since.getTime() !== options.onlyIfStateSince.getTime()) return null;
  if (seat.state === options.to && (options.reason ?? null) === seat.state_reason) return null;
  const updated = await trx
    .updateTable('agent_seats')
    .set({
      state: options.to,
      state_since: sql`clock_timestamp()`,
      state_reason: options.reason ?? null,
      last_activity_at: options.actor.type === 'agent' ? sql`clock_timestamp()` : seat.last_activity_at,
      // Coming back to work restarts the idle clock only if they were away (longest idle is about waiting for work).
      idle_since: seat.state === 'offline' && options.to !== 'offline' ? sql`clock_timestamp()` : seat.idle_since,
      updated_at: sql`clock_timestamp()`,
    })
    .where('user_id', '=', agentId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const outbox = await announceStateChange(trx, seat, updated, options.actor);
  return { agentId, from: seat.state, to: updated.state, reason: updated.state_reason, at: updated.state_since, outbox };
}

async function announceStateChange(trx: Transaction<Database>, before: AgentSeat, after: AgentSeat, actor: SetStateOptions['actor']): Promise<OutboxRow[]> {
  const campaigns = await trx.selectFrom('user_campaigns').select('campaign_id').where('user_id', '=', after.user_id).execute();
  const payload = {
    agentId: after.user_id,
    from: before.state,
    to: after.state,
    reason: after.state_reason,
    seatType: after.seat_type,
    load: { text: after.load_text, voice: after.load_voice, email: after.load_email },
  };
  for (const { campaign_id } of campaigns) {
    await appendEvents(trx, { campaignId: campaign_id, actorType: actor.type, actorId: actor.id }, [{ type: 'agent.state_changed', payload }]);
  }
  const at = after.state_since.toISOString();
  return writeOutbox(
    trx,
    [{ campaign_id: null as string | null }, ...campaigns].map(({ campaign_id }) => ({
      event: 'agent.state_changed' as const,
      rooms: [campaign_id === null ? rooms.agent(after.user_id) : rooms.campaign(campaign_id)],
      data: { campaignId: campaign_id ?? '', agentId: after.user_id, from: before.state, to: after.state, reason: after.state_reason, at },
    })),
  );
}

/** Records activity for auto-logout; at most one write per agent every 15 s. */
export async function touchAgentActivity(db: Db, agentId: string): Promise<void> {
  await db
    .updateTable('agent_seats')
    .set({ last_activity_at: sql`clock_timestamp()` })
    .where('user_id', '=', agentId)
    .where('last_activity_at', '<', sql<Date>`clock_timestamp() - interval '15 seconds'`)
    .execute();
}

export interface SeatView {
  agentId: string;
  state: AgentStateColumn;
  stateSince: string;
  stateReason: string | null;
  seatType: string;
  lastActivityAt: string;
  load: Record<(typeof CHANNEL_CLASSES)[number], number>;
  capacity: Record<(typeof CHANNEL_CLASSES)[number], number>;
  capacityOverride: Partial<ChannelCapacity>;
}

export function toSeatView(seat: AgentSeat): SeatView {
  return {
    agentId: seat.user_id,
    state: seat.state,
    stateSince: seat.state_since.toISOString(),
    stateReason: seat.state_reason,
    seatType: seat.seat_type,
    lastActivityAt: seat.last_activity_at.toISOString(),
    load: { text: seat.load_text, voice: seat.load_voice, email: seat.load_email },
    capacity: { text: seat.cap_text, voice: seat.cap_voice, email: seat.cap_email },
    capacityOverride: seat.capacity_override,
  };
}
