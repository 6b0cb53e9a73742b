import { orderWaiting } from './waiting-order.js';
import type { RoutingDecision, RoutingPlan, RoutingSession, RoutingSnapshot } from './router.types.js';

/**
 * One pass over the waiting conversations in routing order, each offered to the session once.
 *
 * One pass is enough for work conservation: within a plan loads only grow and nothing else
 * changes, so a conversation nobody could take at its turn cannot become takeable later. And a
 * conversation nobody can take is simply passed over — it never blocks the ones behind it (no
 * head-of-line blocking across queues, skills or channel classes).
 */
export function runPlan(session: RoutingSession, snapshot: RoutingSnapshot): RoutingPlan {
  const decisions: RoutingDecision[] = [];
  // A conversation listed twice (a caller bug) must still get one agent, not two.
  const assigned = new Set<string>();
  for (const conversation of orderWaiting(snapshot.waiting, snapshot.queues)) {
    if (assigned.has(conversation.id)) continue;
    const decision = session.route(conversation);
    if (decision === null) continue;
    assigned.add(conversation.id);
    decisions.push(decision);
  }
  return { decisions, strategyState: session.strategyState() };
}
