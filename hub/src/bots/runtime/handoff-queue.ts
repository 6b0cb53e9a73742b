import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { loadRoutingQueues, type RoutingQueueRow } from '../../router/store/routing-settings.js';

/**
 * The queue a bot handoff asks for: a queue of the conversation's own campaign by id, or the
 * campaign's queue whose required skills include every requested skill (by name; first-level
 * queues first, then by priority). Null: the router's intake gives the channel's queue.
 */
export async function handoffQueue(trx: Transaction<Database>, campaignId: string, request: { queueId?: string; skills?: string[] }): Promise<RoutingQueueRow | null> {
  if (request.queueId === undefined && (request.skills === undefined || request.skills.length === 0)) return null;
  const queues = await loadRoutingQueues(trx, [campaignId]);
  if (request.queueId !== undefined) {
    const named = queues.get(request.queueId);
    // A model naming another campaign's queue never moves the citizen there.
    if (named && named.campaignId === campaignId) return named;
  }
  const wanted = [...new Set(request.skills ?? [])];
  if (wanted.length === 0) return null;
  const skills = await trx.selectFrom('skills').select(['id', 'name']).where('campaign_id', '=', campaignId).where('name', 'in', wanted).execute();
  if (skills.length < wanted.length) return null;
  const ids = new Set(skills.map((s) => s.id));
  const candidates = [...queues.values()].filter((q) => {
    const required = new Set(q.config.requiredSkills.map((r) => r.skillId));
    return [...ids].every((id) => required.has(id));
  });
  candidates.sort((a, b) => a.tier - b.tier || a.config.priority - b.config.priority || a.id.localeCompare(b.id));
  return candidates[0] ?? null;
}
