import { sql, type Kysely } from 'kysely';
import type { AgentStateColumn, Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import type { RouterTimer } from '../service/router-timer.types.js';
import { setAgentState, syncAgentSeats, type SelectableState } from '../store/agent-seats.js';
import { loadCampaignRouting } from '../store/routing-settings.js';
import { withdrawPendingOffers } from './offer-decision.usecase.js';
import { mergeEffects, noEffects, type RouterEffects } from './router-effects.js';
import { retryOnConflict } from '../../db/retry-transaction.js';

/**
 * Agent states (issue 3 item 2): the agent (or a supervisor) chooses available, an aux state or
 * offline; the router moves them to after-contact work on release, back to available when ACW
 * runs out, to not_ready on RONA, and offline after inactivity.
 */

export interface ChangeStateInput {
  agentId: string;
  to: SelectableState;
  reason?: string | null;
  actor: { type: 'agent' | 'system'; id: string };
}

export async function changeAgentState(db: Kysely<Database>, input: ChangeStateInput): Promise<RouterEffects> {
  // Creates the seat on first use, and logging in picks up capacity changes made while away.
  await syncAgentSeats(db, [input.agentId]);
  // Read before the transaction: inside it, a second pool connection per request would let a
  // burst of state changes (shift start) exhaust the pool while each holds a seat lock.
  const logoutMs = input.to === 'offline' ? 0 : await autoLogoutMs(db, input.agentId);
  return retryOnConflict(() =>
    db.transaction().execute(async (trx) => {
      // Offers first (offer → conversation → seat, the order accept and RONA lock in).
      const withdrawn = input.to === 'available' ? noEffects() : await withdrawPendingOffers(trx, input.agentId, `estado ${input.to}`);
      const change = await setAgentState(trx, input.agentId, { to: input.to, reason: input.reason ?? null, actor: input.actor });
      if (!change) return withdrawn;
      const timers: RouterTimer[] = [];
      if (change.to !== 'offline') timers.push({ kind: 'auto_logout', agentId: input.agentId, at: Date.now() + logoutMs });
      return mergeEffects(withdrawn, { outbox: change.outbox, timers, messageIds: [], reroute: change.to === 'available' });
    }),
  );
}

/** ACW ran out: back to available, unless the agent moved on since (compare-and-set on state_since). */
export async function endAfterContactWork(db: Kysely<Database>, agentId: string, stateSince: number): Promise<RouterEffects> {
  return db.transaction().execute(async (trx) => {
    const change = await setAgentState(trx, agentId, {
      to: 'available',
      reason: 'acw_timeout',
      actor: { type: 'system', id: 'router' },
      onlyFrom: ['after_contact_work'],
      onlyIfStateSince: new Date(stateSince),
    });
    return change ? { ...noEffects(), outbox: change.outbox, reroute: true } : noEffects();
  });
}

/**
 * Inactivity: offline when the last activity is older than the strictest auto-logout of the
 * agent's campaigns; otherwise the timer is set again for the new deadline.
 */
export async function autoLogout(db: Kysely<Database>, agentId: string, now: number = Date.now()): Promise<RouterEffects> {
  const limit = await autoLogoutMs(db, agentId);
  return db.transaction().execute(async (trx) => {
    const seat = await trx.selectFrom('agent_seats').select(['state', 'last_activity_at']).where('user_id', '=', agentId).forUpdate().executeTakeFirst();
    if (!seat || seat.state === 'offline') return noEffects();
    const deadline = seat.last_activity_at.getTime() + limit;
    if (deadline > now) return { ...noEffects(), timers: [{ kind: 'auto_logout', agentId, at: deadline }] };
    const change = await setAgentState(trx, agentId, { to: 'offline', reason: 'inactivity', actor: { type: 'system', id: 'router' } });
    return change ? { ...noEffects(), outbox: change.outbox } : noEffects();
  });
}

async function autoLogoutMs(db: Kysely<Database>, agentId: string): Promise<number> {
  const campaigns = await db.selectFrom('user_campaigns').select('campaign_id').where('user_id', '=', agentId).execute();
  const routing = await loadCampaignRouting(
    db,
    campaigns.map((c) => c.campaign_id),
  );
  // The strictest campaign wins; the product default (10 min) when the agent serves none.
  const minutes = routing.size === 0 ? 10 : Math.min(...[...routing.values()].map((r) => r.autoLogoutMinutes));
  return minutes * 60_000;
}

/** Seats whose ACW or inactivity deadline passed without their timer (sweep; see router-service.ts). */
export async function overdueSeatTimers(db: Kysely<Database>): Promise<RouterTimer[]> {
  const seats = await db
    .selectFrom('agent_seats')
    .select(['user_id', 'state', 'state_since', 'last_activity_at'])
    .where('state', '!=', 'offline')
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'after_contact_work'), eb('state_since', '<', sql<Date>`clock_timestamp() - interval '5 seconds'`)]),
        eb('last_activity_at', '<', sql<Date>`clock_timestamp() - interval '60 seconds'`),
      ]),
    )
    .execute();
  const timers: RouterTimer[] = [];
  for (const seat of seats) {
    if (seat.state === 'after_contact_work') {
      const max = await acwMaxMs(db, seat.user_id);
      if (seat.state_since.getTime() + max <= Date.now()) timers.push({ kind: 'acw_end', agentId: seat.user_id, stateSince: seat.state_since.getTime(), at: Date.now() });
    }
    timers.push({ kind: 'auto_logout', agentId: seat.user_id, at: Date.now() });
  }
  return timers;
}

export async function acwMaxMs(db: Kysely<Database>, agentId: string, campaignId?: string): Promise<number> {
  const campaigns = campaignId
    ? [{ campaign_id: campaignId }]
    : await db.selectFrom('user_campaigns').select('campaign_id').where('user_id', '=', agentId).execute();
  const routing = await loadCampaignRouting(
    db,
    campaigns.map((c) => c.campaign_id),
  );
  if (routing.size === 0) return 120_000;
  return Math.min(...[...routing.values()].map((r) => r.afterContactWorkMaxSeconds)) * 1000;
}

export function assertSelectable(state: AgentStateColumn): void {
  if (state === 'after_contact_work') throw new HubError('HUB_ERR_AGENT_STATE_INVALID', 'after_contact_work lo asigna el enrutador al liberar una sesión / ACW is set by the router');
}
