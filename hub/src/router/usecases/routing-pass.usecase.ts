import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { OutboxRow } from '../../outbox/outbox.js';
import { writeOutbox } from '../../outbox/outbox.js';
import { hasSpareCapacity } from '../core/agent-capacity.js';
import { planAssignments } from '../core/routing-session.js';
import type { RoutingDecision } from '../core/router.types.js';
import type { RouterTimer } from '../service/router-timer.types.js';
import { loadAvailableAgents, loadStrategyState, loadWaiting, queueSnapshots, saveStrategyState } from '../store/routing-snapshot.js';
import { loadCampaignRouting, loadRoutingQueues } from '../store/routing-settings.js';
import { intakeNewConversations } from './intake.usecase.js';

/**
 * One routing pass (router/core/README.md, "The use case around it"): intake of new
 * conversations, snapshot, pure plan, atomic claim (SQL function router_claim), strategy memory.
 * Runs inside the caller's transaction, which holds the router lock (service/router-service.ts).
 */

export interface ClaimedOffer {
  offerId: string;
  conversationId: string;
  agentId: string;
}

export interface PassResult {
  intake: { queued: number; closed: number };
  /** Decisions the core made, and how many of them the claim kept. */
  planned: number;
  claimed: ClaimedOffer[];
  waiting: number;
  availableAgents: number;
  outbox: OutboxRow[];
  timers: RouterTimer[];
  messageIds: string[];
}

export interface PassOptions {
  /** Waiting conversations read per pass (most urgent first). */
  waitingLimit: number;
}

export async function runRoutingPass(trx: Transaction<Database>, now: number, options: PassOptions): Promise<PassResult> {
  const queues = await loadRoutingQueues(trx);
  const routing = await loadCampaignRouting(
    trx,
    [...queues.values()].map((q) => q.campaignId),
  );
  const intake = await intakeNewConversations(trx, { queues, routing }, now);
  const result: PassResult = {
    intake: { queued: intake.queued, closed: intake.closed },
    planned: 0,
    claimed: [],
    waiting: 0,
    availableAgents: 0,
    outbox: await writeOutbox(trx, intake.notifications),
    timers: intake.timers,
    messageIds: intake.messageIds,
  };

  const agents = await loadAvailableAgents(trx);
  result.availableAgents = agents.length;
  if (!agents.some((a) => hasSpareCapacity(a, 'text') || hasSpareCapacity(a, 'voice') || hasSpareCapacity(a, 'email'))) return result;
  const waiting = await loadWaiting(trx, options.waitingLimit);
  result.waiting = waiting.length;
  if (waiting.length === 0) return result;

  const strategyState = await loadStrategyState(trx);
  const plan = planAssignments({ agents, queues: queueSnapshots(queues), waiting, strategyState, now });
  result.planned = plan.decisions.length;
  if (plan.decisions.length === 0) return result;

  const decisions = plan.decisions.map((d: RoutingDecision) => {
    const queue = queues.get(d.queueId);
    const settings = queue ? routing.get(queue.campaignId) : undefined;
    const timeoutMs = (settings?.offerTimeoutSeconds ?? 20) * 1000;
    return {
      offerId: randomUUID(),
      conversationId: d.conversationId,
      agentId: d.agentId,
      queueId: d.queueId,
      channelClass: d.channelClass,
      reason: d.reason,
      expiresAt: new Date(now + timeoutMs).toISOString(),
      accepted: settings?.autoAccept ?? false,
    };
  });
  const { rows } = await sql<{ r: { claimed: ClaimedOffer[]; outbox: OutboxRow[] } }>`SELECT router_claim(${JSON.stringify(decisions)}::jsonb) AS r`.execute(trx);
  const claim = rows[0]?.r ?? { claimed: [], outbox: [] };
  result.claimed = claim.claimed;
  result.outbox.push(...claim.outbox);
  const claimedIds = new Set(claim.claimed.map((c) => c.offerId));
  const byExpiry = new Map<string, string[]>();
  for (const d of decisions) {
    if (!claimedIds.has(d.offerId) || d.accepted) continue;
    const ids = byExpiry.get(d.expiresAt) ?? [];
    ids.push(d.offerId);
    byExpiry.set(d.expiresAt, ids);
  }
  for (const [expiresAt, offerIds] of byExpiry) result.timers.push({ kind: 'offer_timeout', offerIds, at: Date.parse(expiresAt) });
  if (plan.strategyState !== strategyState) await saveStrategyState(trx, plan.strategyState);
  return result;
}
